package io.promlet.multiprocess;

import io.promlet.internal.SharedStoreProvider;
import io.promlet.internal.ValueStore;

/**
 * Turns the multi-process mode on when {@value MultiProcess#SYSTEM_PROPERTY} or
 * {@value MultiProcess#ENVIRONMENT_VARIABLE} names a directory. Found by {@link java.util.ServiceLoader} when this
 * process builds its first metric; public only for that. Applications use {@link MultiProcess}.
 */
public final class MultiProcessStoreProvider implements SharedStoreProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public MultiProcessStoreProvider() {
    }

    @Override
    public ValueStore openConfigured() {
        return MultiProcess.openConfigured();
    }
}
