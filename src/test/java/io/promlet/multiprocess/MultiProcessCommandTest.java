package io.promlet.multiprocess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of start and stop scripts: an exit status and, when it did not do what was asked, one line. */
class MultiProcessCommandTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MultiProcess.run(new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private List<String> errorLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void deadForALiveProcessSaysItIsAliveAndThatNothingWasRemoved() throws IOException {
        processes.start(dir, 9_400_001);
        assertEquals(1, run("dead", "9400001", dir.toString()));
        List<String> lines = errorLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("9400001 is alive") && lines.get(0).contains("nothing was removed"), lines.get(0));
        assertTrue(Files.exists(dir.resolve("process_9400001.p9400001.lock")));
    }

    @Test
    void aRefusedClearPrintsOneLineAndLogsNothing() throws IOException {
        processes.start(dir, 9_400_002);
        List<String> warnings = LogCapture.warnings(() -> assertEquals(1, run("clear", dir.toString())));
        assertEquals(List.of(), warnings);
        List<String> lines = errorLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("[9400002] are alive"), lines.get(0));
    }

    @Test
    void aUsageErrorIsOneLineAndStatusTwo() {
        assertEquals(2, run("dead"));
        assertEquals(1, errorLines().size(), errorLines().toString());
    }
}
