package io.promlet.tools;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference parsers as judges of a whole exposition: {@code promtool check metrics} for the text format, and the
 * Python client's text and OpenMetrics parsers (through {@code parse_exposition.py}, as the conformance test uses
 * them). Missing tools skip the test, or fail it on CI ({@link RealTools#require}).
 */
public final class RealParsers {
    private RealParsers() {
    }

    /** Asserts that promtool and the Python text parser accept this text-format exposition. */
    public static void assertValidText(String exposition) {
        String promtool = run(List.of(RealTools.require("/usr/bin/promtool").toString(), "check", "metrics"), exposition);
        Assertions.assertEquals("exit 0\n", promtool, "promtool on:\n" + exposition);
        assertPythonAccepts("text", exposition);
    }

    /** Asserts that the Python OpenMetrics parser accepts this exposition. */
    public static void assertValidOpenMetrics(String exposition) {
        assertPythonAccepts("openmetrics", exposition);
    }

    /**
     * The Python OpenMetrics parser's reading of an exposition it accepts, as {@code parse_exposition.py} prints it:
     * JSON, each sample with its labels and exemplar as {@code [["name", "value"], ...]}.
     */
    public static String openMetricsAsJson(String exposition) {
        String output = run(List.of(RealTools.require("/usr/bin/python3").toString(), script(), "openmetrics"), exposition);
        Assertions.assertTrue(output.startsWith("exit 0\n"), "Python openmetrics parser: " + output + "\non:\n" + exposition);
        return output.substring("exit 0\n".length());
    }

    private static void assertPythonAccepts(String format, String exposition) {
        String output = run(List.of(RealTools.require("/usr/bin/python3").toString(), script(), format), exposition);
        Assertions.assertTrue(output.startsWith("exit 0\n"), "Python " + format + " parser: " + output + "\non:\n" + exposition);
    }

    private static String script() {
        try {
            return Path.of(RealParsers.class.getResource("/io/promlet/exposition/parse_exposition.py").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the command on this input: "exit N\n", then what it wrote (promtool's findings, or the parser's error). */
    private static String run(List<String> command, String stdin) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(command + " did not finish within 60 s");
            }
            return "exit " + process.exitValue() + "\n" + output.get();
        } catch (Exception e) {
            throw new AssertionError(command + " failed to run", e);
        }
    }
}
