package io.promlet.monitoring;

import io.promlet.tools.RealTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool, run to completion in a directory. */
final class Promtool {

    /** Where the Debian package (prometheus) installs it. */
    static final String EXECUTABLE = "/usr/bin/promtool";

    /** What promtool said and how it exited. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** Runs {@code promtool args...} in {@code dir}; skips the test if promtool is missing (fails it on CI). */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RealTools.require(EXECUTABLE).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + args[0] + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
