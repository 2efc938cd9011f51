package io.promlet.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HotSpot diagnostic commands ({@code jcmd}) against a server process that the test started. */
final class Jcmd {

    private static final long TIMEOUT_SECONDS = 60;
    /** A histogram row: {@code 477:  1  152  org.apache.catalina.loader.ParallelWebappClassLoader (module)}. */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
    /** A thread header in {@code Thread.print}: the name in quotes at the start of the line. */
    private static final Pattern THREAD_HEADER = Pattern.compile("^\"(.*)\" ", Pattern.MULTILINE);

    private final Path executable;
    private final long pid;
    private final Path scratch;

    /** Runs {@code executable} against {@code pid}, keeping its output in {@code scratch} (a directory). */
    Jcmd(Path executable, long pid, Path scratch) {
        this.executable = executable;
        this.pid = pid;
        this.scratch = scratch;
    }

    /** Runs one diagnostic command and returns what it printed; fails unless it succeeds. */
    String run(String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(scratch, "jcmd", ".txt");
        try {
            List<String> line = new ArrayList<>(List.of(executable.toString(), Long.toString(pid)));
            line.addAll(List.of(command));
            Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jcmd " + line + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new AssertionError("jcmd " + line + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            Files.delete(output);
        }
    }

    /** Live instances per class name, after the full collection that {@code GC.class_histogram} performs. */
    Map<String, Long> liveInstances() throws IOException, InterruptedException {
        Map<String, Long> instances = new HashMap<>();
        for (String row : run("GC.class_histogram").split("\n")) {
            Matcher matcher = HISTOGRAM_ROW.matcher(row);
            if (matcher.find()) {
                instances.merge(matcher.group(2), Long.parseLong(matcher.group(1)), Long::sum);
            }
        }
        return instances;
    }

    /** The names of all threads of the process. */
    List<String> threadNames() throws IOException, InterruptedException {
        return THREAD_HEADER.matcher(run("Thread.print")).results().map(result -> result.group(1)).toList();
    }
}
