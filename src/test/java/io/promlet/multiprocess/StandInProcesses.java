package io.promlet.multiprocess;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores that stand in for processes within one JVM, each claiming its own id and lock as a process does;
 * closing one is its process dying. Whatever a test leaves open is closed after it.
 */
final class StandInProcesses implements AfterEachCallback {
    private final List<MappedValueStore> started = new ArrayList<>();

    /** Starts a process with this pid in the directory. */
    MappedValueStore start(Path directory, long pid) throws IOException {
        MappedValueStore store = new MappedValueStore(directory, pid);
        started.add(store);
        return store;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (MappedValueStore store : started) {
            store.close();
        }
    }
}
