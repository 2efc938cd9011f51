package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;

import io.promlet.TestStores;

import io.promlet.exposition.OpenMetricsFormat;
import io.promlet.exposition.TextFormat;
import io.promlet.internal.NativeBucketIndex;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.model.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Real JVMs share a directory; one is killed with SIGKILL; the aggregate is exact. */
class MultiProcessJvmTest {
    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void workersAndAKilledOneAddUpExactly() throws Exception {
        int[] ops = {20_000, 30_000, 40_000, 50_000};
        List<Process> workers = new ArrayList<>();
        for (int o : ops) {
            workers.add(start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString()), "work", Integer.toString(o)));
        }
        for (Process w : workers) {
            awaitDone(w);
        }
        Process victim = workers.get(3);
        victim.destroyForcibly(); // SIGKILL
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, victim.exitValue(), "killed by SIGKILL");

        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        assertExactTotals(registry, ops);
        assertEquals(3.0, registry.getSampleValue("busy_workers"), "livesum: the killed worker no longer counts");
        assertEquals(40_000.0, registry.getSampleValue("largest_worker_jobs"), "livemax of the live workers");
        Map<String, Double> perWorker = new TreeMap<>();
        for (Sample s : family(registry, "worker_jobs").samples()) {
            perWorker.put(s.labels().get("pid"), s.value());
        }
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 0; i < ops.length; i++) {
            expected.put(Long.toString(workers.get(i).pid()), (double) ops[i]);
        }
        assertEquals(expected, perWorker, "mode all: one series per process, the killed one too");
        assertEquals(1.0, registry.getSampleValue("worker_info", new String[] {"version"}, new String[] {"1.0"}));
        assertEquals(1.0, registry.getSampleValue("phase", new String[] {"phase"}, new String[] {"idle"}));
        assertEquals(0.0, registry.getSampleValue("phase", new String[] {"phase"}, new String[] {"working"}));
        assertPromtoolAccepts(TextFormat.generateLatest(registry));
        String openMetrics = OpenMetricsFormat.generateLatest(registry);
        assertTrue(openMetrics.contains("phase{phase=\"idle\"} 1.0\n"), openMetrics);

        for (int i = 0; i < 3; i++) { // the others end normally
            workers.get(i).getOutputStream().close();
            assertTrue(workers.get(i).waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, workers.get(i).exitValue());
        }
        assertNull(registry.getSampleValue("busy_workers"), "no live worker");
        assertExactTotals(registry, ops);

        Process next = start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString()), "once");
        assertTrue(next.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, next.exitValue());
        assertExactTotals(registry, ops);
        assertFalse(fileNames().stream().anyMatch(n -> n.contains(Long.toString(victim.pid()))),
                "the next process merged the killed one's files: " + fileNames());
    }

    private static void assertExactTotals(CollectorRegistry registry, int[] ops) {
        Map<String, Double> shards = new HashMap<>();
        Map<Integer, Long> nativeBuckets = new TreeMap<>();
        long zeros = 0;
        double[] buckets = new double[4];
        double sum = 0;
        double total = 0;
        for (int o : ops) {
            for (int t = 0; t < MultiProcessWorker.THREADS; t++) {
                for (int i = 0; i < o / MultiProcessWorker.THREADS; i++) {
                    shards.merge(MultiProcessWorker.shard(i), 1.0, Double::sum);
                    double d = MultiProcessWorker.duration(i);
                    buckets[d <= 0.5 ? 0 : d <= 1 ? 1 : d <= 2 ? 2 : 3]++;
                    if (d == 0) {
                        zeros++;
                    } else {
                        nativeBuckets.merge(NativeBucketIndex.of(d, 5), 1L, Long::sum);
                    }
                    sum += d;
                    total++;
                }
            }
        }
        shards.forEach((shard, n) ->
                assertEquals(n, registry.getSampleValue("jobs_total", new String[] {"shard"}, new String[] {shard}), shard));
        String[] le = {"le"};
        assertEquals(buckets[0], registry.getSampleValue("job_seconds_bucket", le, new String[] {"0.5"}));
        assertEquals(buckets[0] + buckets[1], registry.getSampleValue("job_seconds_bucket", le, new String[] {"1.0"}));
        assertEquals(buckets[0] + buckets[1] + buckets[2], registry.getSampleValue("job_seconds_bucket", le, new String[] {"2.0"}));
        assertEquals(total, registry.getSampleValue("job_seconds_bucket", le, new String[] {"+Inf"}));
        assertEquals(total, registry.getSampleValue("job_seconds_count"));
        assertEquals(sum, registry.getSampleValue("job_seconds_sum"));
        assertEquals(total, registry.getSampleValue("jobs_done"), "mode sum keeps the dead processes' part");
        NativeBuckets merged = ((HistogramMetricFamily) family(registry, "job_seconds")).points().get(0).nativeBuckets();
        assertEquals(5, merged.schema(), "a default histogram has native buckets in this mode too");
        assertEquals(zeros, merged.zeroCount());
        Map<Integer, Long> positive = new TreeMap<>();
        for (int i = 0; i < merged.positiveIndexes().length; i++) {
            positive.put(merged.positiveIndexes()[i], merged.positiveCounts()[i]);
        }
        assertEquals(nativeBuckets, positive);
    }

    @Test
    @Timeout(300)
    void twoHundredShortLivedProcessesKeepTheDirectorySmall() throws Exception {
        int runs = 200;
        Map<String, String> env = Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString());
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        int archiveEntriesAt20 = 0;
        for (int n = 0; n < runs; n += 2) {
            boolean kill = n % 20 == 10; // every tenth process is killed instead of exiting
            Process a = start(env, "once");
            Process b = kill ? start(env, "once", "hang") : start(env, "once");
            assertTrue(a.waitFor(30, TimeUnit.SECONDS));
            if (kill) {
                awaitDone(b);
                b.destroyForcibly();
            }
            assertTrue(b.waitFor(30, TimeUnit.SECONDS));
            processes.remove(a);
            processes.remove(b);

            // At most the files of the last two processes, which the next start merges, and three of its own.
            List<String> files = fileNames();
            assertTrue(files.size() <= 3 + 2 * 4, files.toString());
            long bytes = 0;
            for (String f : files) {
                bytes += Files.size(dir.resolve(f));
            }
            assertTrue(bytes <= 9 * 32 * 1024, bytes + " bytes in " + files);
            if (n + 2 == 20) {
                archiveEntriesAt20 = ValueFile.read(dir.resolve("archive.db")).entries.size();
            }
            if ((n + 2) % 50 == 0) {
                assertEquals(n + 2, registry.getSampleValue("runs_total"));
            }
        }
        assertEquals(runs, registry.getSampleValue("runs_total"));
        assertEquals(runs, registry.getSampleValue("run_seconds_count"));
        assertEquals(runs * 0.5, registry.getSampleValue("run_seconds_sum"));
        assertNull(registry.getSampleValue("running"), "no process is running");
        assertEquals(archiveEntriesAt20, ValueFile.read(dir.resolve("archive.db")).entries.size(),
                "the archive does not grow with restarts");
    }

    /**
     * Two web applications of one servlet container each have their own copy of promlet, so two stores in one
     * JVM: scraping in that JVM must not release the other's lock (closing any channel on a locked file would).
     */
    @Test
    @Timeout(60)
    void twoStoresOfOneJvmStayAliveForOtherProcesses() throws Exception {
        try (MappedValueStore first = new MappedValueStore(dir); MappedValueStore second = new MappedValueStore(dir)) {
            long pid = ProcessHandle.current().pid();
            assertEquals(Long.toString(pid), first.id());
            assertEquals(pid + "-2", second.id());
            for (MappedValueStore store : List.of(first, second)) {
                TestStores.valueStore(Gauge.builder().name("apps").help("Live applications.").multiProcessMode("livesum"), store)
                        .register(new CollectorRegistry()).set(1);
            }
            CollectorRegistry registry = new CollectorRegistry();
            registry.register(new MultiProcessCollector(dir));
            assertEquals(2.0, registry.getSampleValue("apps"));
            assertTrue(MultiProcess.clearDirectory(dir) == false && !MultiProcess.markProcessDead(dir, pid));
            assertEquals(2.0, registry.getSampleValue("apps"));

            assertEquals("2.0", output(start(Map.of(), "scrape", dir.toString(), "apps")), "another process sees both alive");
            Process next = start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString()), "once"); // compacts
            assertTrue(next.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2.0, registry.getSampleValue("apps"));
        }
        assertEquals("null", output(start(Map.of(), "scrape", dir.toString(), "apps")));
    }

    @Test
    @Timeout(60)
    void httpServerServesAllProcessesInTheMode() throws Exception {
        Map<String, String> env = Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString());
        Process worker = start(env, "work", "20000");
        Process server = start(env, "serve", "30000");
        awaitDone(worker);
        String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(port.startsWith("port "), port);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port.substring(5) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\njobs_done 50000.0\n") && response.body().contains("\nbusy_workers 2.0\n"),
                response.body());
        assertFalse(response.body().contains("jvm_"), "only the processes' files: " + response.body());
    }

    @Test
    @Timeout(60)
    void startAndStopScriptsUseTheCommandLine() throws Exception {
        Map<String, String> env = Map.of(MultiProcess.ENVIRONMENT_VARIABLE, dir.toString());
        Process alive = start(env, "once", "hang");
        awaitDone(alive);
        Process killed = start(env, "once", "hang");
        awaitDone(killed);
        killed.destroyForcibly();
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        String killedPid = Long.toString(killed.pid());
        assertTrue(fileNames().stream().anyMatch(n -> n.equals("gauge_livesum_" + killedPid + ".db")));

        assertEquals(0, command(env, "dead", killedPid).waitFor(), "a stop script after the process ended");
        assertFalse(fileNames().stream().anyMatch(n -> n.contains(killedPid)), fileNames().toString());
        assertEquals(1, command(env, "dead", Long.toString(alive.pid())).waitFor(), "alive: nothing removed");
        assertEquals(1, command(env, "clear").waitFor(), "a process is alive: nothing is removed");
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        assertEquals(2.0, registry.getSampleValue("runs_total"));
        assertEquals(1.0, registry.getSampleValue("running"));

        alive.destroyForcibly();
        assertTrue(alive.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, command(Map.of(), "clear", dir.toString()).waitFor(), "a start script, before the workers start");
        assertEquals(List.of("compact.lock"), fileNames());
        assertEquals(2, command(Map.of(), "clear").waitFor(), "no directory");
        assertEquals(2, command(env, "dead", "one").waitFor(), "not a pid");
    }

    /** {@code java -cp promlet.jar io.promlet.multiprocess.MultiProcess ...}, as a script runs it. */
    private Process command(Map<String, String> env, String... args) throws IOException, URISyntaxException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                Path.of(Counter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                MultiProcess.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove(MultiProcess.ENVIRONMENT_VARIABLE);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    @Test
    @Timeout(60)
    void theDirectoryIsCheckedAndTheModeChosenOnce() throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("multi-process mode: PROMETHEUS_MULTIPROC_DIR is " + missing + ", which does not exist; create the "
                        + "directory (shared by all processes of this scrape target) before starting",
                output(start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, missing.toString()), "metric")));
        Path file = Files.createFile(dir.resolve("file"));
        assertTrue(output(start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, file.toString()), "metric"))
                .contains(file + ", which is not a directory"));

        Path byProperty = Files.createDirectory(dir.resolve("by-property"));
        Path byEnvironment = Files.createDirectory(dir.resolve("by-environment"));
        assertEquals("directory " + byProperty, output(start(Map.of(MultiProcess.ENVIRONMENT_VARIABLE, byEnvironment.toString()),
                "-D" + MultiProcess.SYSTEM_PROPERTY + "=" + byProperty, "metric")));
        try (Stream<Path> files = Files.list(byEnvironment)) {
            assertEquals(0, files.count());
        }

        assertTrue(output(start(Map.of(), "enable-late", dir.toString()))
                .contains("metrics were already created in memory; call MultiProcess.enable before the first metric is created"));
    }

    /** {@code promtool check metrics}: the Go parser and Prometheus' linter. */
    private static void assertPromtoolAccepts(String text) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool) && "true".equals(System.getenv("CI"))) {
            fail(promtool + " is missing; CI must install it (prometheus)");
        }
        Assumptions.assumeTrue(Files.isExecutable(promtool), promtool + " is not installed");
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output + "\n" + text);
        assertEquals("", output, text);
    }

    private Process start(Map<String, String> env, String... args) throws IOException, URISyntaxException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m"));
        int i = 0;
        while (i < args.length && args[i].startsWith("-D")) {
            command.add(args[i++]);
        }
        command.addAll(List.of("-cp", classPath(), MultiProcessWorker.class.getName()));
        command.addAll(List.of(args).subList(i, args.length));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove(MultiProcess.ENVIRONMENT_VARIABLE);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String classPath() throws URISyntaxException {
        return Path.of(Counter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator
                + Path.of(MultiProcessWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void awaitDone(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("done", out.readLine());
    }

    private static String output(Process process) throws IOException, InterruptedException {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return text;
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static MetricFamily family(CollectorRegistry registry, String name) {
        return registry.collect().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
