package io.promlet.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * A program from the machine that an integration test needs. When it is missing the test fails on CI (env CI=true),
 * because a silently skipped test proves nothing there, and is skipped elsewhere.
 */
final class ExternalTool {

    private ExternalTool() {
    }

    /** Returns {@code executable} if it can be run, otherwise fails or aborts the calling test. */
    static Path require(Path executable) {
        if (Files.isExecutable(executable)) {
            return executable;
        }
        String message = executable + " is not installed";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " (required when CI=true)");
        }
        return Assumptions.abort(message);
    }

    /** A tool of the JDK running the tests, such as {@code jcmd}. */
    static Path requireJdkTool(String name) {
        return require(Path.of(System.getProperty("java.home"), "bin", name));
    }
}
