package io.promlet.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server that a test runs as a separate OS process, its output going to a log file. Waiting for it polls with a
 * deadline and fails at once, with the end of the log, if the process dies. Closing it stops it and its children.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_CHARS = 4000;

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}, its output and errors appended to {@code log}. */
    static ServerProcess start(String name, ProcessBuilder command, Path log) throws IOException {
        command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ServerProcess(name, command.start(), log);
    }

    /** Runs a short setup command to completion and fails the test unless it exits with 0. */
    static void runToCompletion(String name, ProcessBuilder command, Path log, Duration timeout)
            throws IOException, InterruptedException {
        try (ServerProcess setup = start(name, command, log)) {
            if (!setup.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not finish within " + timeout + setup.logTail());
            }
            if (setup.process.exitValue() != 0) {
                throw new AssertionError(name + " exited with " + setup.process.exitValue() + setup.logTail());
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Everything the process has written so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Calls {@code probe} until its result satisfies {@code done} and returns that result. A probe that throws counts
     * as "not yet". Fails with the last result or exception when {@code timeout} passes or the process exits.
     */
    <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "no result";
        while (true) {
            try {
                T value = probe.call();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            // Waiting on the process is the pause between polls and notices a crash at the same time.
            if (process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while waiting for "
                        + what + "; last: " + last + logTail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + "; last: " + last + logTail());
            }
        }
    }

    /** The end of the log, for failure messages. */
    private String logTail() {
        String text = log();
        return "\n--- " + name + " log (" + log + ") ---\n"
                + text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
    }

    /**
     * Asks the process to stop (SIGTERM, so shutdown hooks run), and kills it if it does not stop in time or the test
     * is interrupted.
     */
    @Override
    public void close() {
        var children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
