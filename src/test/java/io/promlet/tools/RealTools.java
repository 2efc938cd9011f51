package io.promlet.tools;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real Prometheus programs the exporter tests run against: present, or the test is skipped, except
 * on CI ({@code CI=true}) where a missing program fails the test.
 */
public final class RealTools {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RealTools() {
    }

    /** The program at this path; skips the test if it is missing, or fails it on CI. */
    public static Path require(String program) {
        Path path = Path.of(program);
        if (!Files.isExecutable(path)) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(program + " is required on CI but is not installed");
            }
            Assumptions.abort(program + " is not installed");
        }
        return path;
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts a program, its output going to a log file that failures can show. */
    public static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops a program started by {@link #start}. */
    public static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The body of a GET, or null if the server does not answer 200. */
    public static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls until the condition holds; fails with the message after the deadline. */
    public static void await(Duration deadline, String message, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                Assertions.fail("not within " + deadline + ": " + message);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until the server at this URL answers 200, failing with its log if the program exits or the deadline passes. */
    public static void awaitReady(Process process, String url, Path log) {
        await(Duration.ofSeconds(30), url + " to answer; log: " + log, () -> {
            if (!process.isAlive()) {
                String output;
                try {
                    output = Files.readString(log);
                } catch (IOException e) {
                    output = e.toString();
                }
                Assertions.fail("program exited with " + process.exitValue() + ":\n" + output);
            }
            return get(url) != null;
        });
    }
}
