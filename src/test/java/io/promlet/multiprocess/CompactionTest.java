package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;

import io.promlet.TestStores;
import io.promlet.tools.RealTools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead processes' files are merged into the archive: totals stay exact, the directory stays small. */
class CompactionTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    /** A process that records its part and dies (releases its lock). */
    private void liveAndDie(long pid, int n) throws IOException {
        try (MappedValueStore store = processes.start(dir, pid)) {
            record(store, n);
        }
    }

    private static void record(MappedValueStore store, int n) {
        CollectorRegistry own = new CollectorRegistry();
        TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs.").labelNames("queue"), store).register(own)
                .labels("q" + n % 2).inc(n);
        TestStores.valueStore(Histogram.builder().name("job_seconds").help("Job time.").buckets(1, 10), store).register(own)
                .observe(n);
        TestStores.valueStore(Gauge.builder().name("peak").help("Peak.").multiProcessMode("max"), store).register(own).set(n);
        TestStores.valueStore(Gauge.builder().name("busy").help("Busy.").multiProcessMode("livesum"), store).register(own).set(1);
    }

    @Test
    void deadProcessesAreMergedByTheNextProcessToStart() throws IOException {
        for (int n = 1; n <= 20; n++) {
            liveAndDie(9_300_000 + n, n);
        }
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        assertTotals(registry, 20);
        assertNull(registry.getSampleValue("busy"), "no live process has a value");
        // Each process merged its dead predecessors when it started: only the last one's files are left.
        assertEquals(Set.of("archive.db", "compact.lock", "process_9300020.p9300020.lock", "counter_9300020.db", "histogram_9300020.db",
                "gauge_max_9300020.db", "gauge_livesum_9300020.db"), Set.copyOf(fileNames()));

        MappedValueStore last = processes.start(dir, 9_300_100);
        assertEquals(Set.of("archive.db", "compact.lock", "process_9300100.p9300100.lock"), Set.copyOf(fileNames()));
        assertTotals(registry, 20);

        record(last, 21);
        assertTotals(registry, 21);
        assertEquals(1.0, registry.getSampleValue("busy"));
    }

    private static void assertTotals(CollectorRegistry registry, int processes) {
        double even = 0;
        double odd = 0;
        double sum = 0;
        double upToTen = 0;
        for (int n = 1; n <= processes; n++) {
            even += n % 2 == 0 ? n : 0;
            odd += n % 2 == 1 ? n : 0;
            sum += n;
            upToTen += n <= 10 ? 1 : 0;
        }
        assertEquals(even, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q0"}));
        assertEquals(odd, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q1"}));
        assertEquals(processes, registry.getSampleValue("job_seconds_count"));
        assertEquals(upToTen, registry.getSampleValue("job_seconds_bucket", new String[] {"le"}, new String[] {"10.0"}));
        assertEquals(sum, registry.getSampleValue("job_seconds_sum"));
        assertEquals(processes, registry.getSampleValue("peak"));
    }

    @Test
    void aFileLeftBehindByAnInterruptedCompactionIsNotCountedTwice() throws IOException {
        liveAndDie(9_300_001, 1);
        liveAndDie(9_300_002, 2);
        Path file = dir.resolve("counter_9300002.db");
        byte[] copy = Files.readAllBytes(file);
        processes.start(dir, 9_300_003);
        assertFalse(Files.exists(file));
        Files.write(file, copy); // as if the compaction had stopped after writing the archive

        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        assertEquals(2.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q0"}));
        processes.start(dir, 9_300_004); // the next compaction removes it without merging it again
        assertFalse(Files.exists(file));
        assertEquals(2.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q0"}));
        assertEquals(1.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q1"}));
    }

    @Test
    void scrapesDuringCompactionsNeverCountTwiceOrMiss() throws Exception {
        int processes = 150;
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> lifecycles = pool.submit(() -> {
            for (int n = 1; n <= processes; n++) {
                try (MappedValueStore store = new MappedValueStore(dir, 9_400_000 + n)) { // claims, so compacts
                    TestStores.valueStore(Counter.builder().name("starts_total").help("Starts."), store)
                            .register(new CollectorRegistry()).inc();
                }
                finished.incrementAndGet();
            }
            running.set(false);
            return null;
        });
        MultiProcessCollector collector = new MultiProcessCollector(dir);
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(collector);
        double last = 0;
        int scrapes = 0;
        while (running.get()) {
            int before = finished.get();
            Double total = registry.getSampleValue("starts_total");
            int after = finished.get();
            double value = total == null ? 0 : total;
            assertTrue(value >= before && value <= after + 1, value + " outside [" + before + ", " + (after + 1) + "]");
            assertTrue(value >= last, "went back from " + last + " to " + value);
            last = value;
            scrapes++;
        }
        lifecycles.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(scrapes > 10, "scrapes: " + scrapes);
        assertEquals(processes, registry.getSampleValue("starts_total"));
    }

    @Test
    void clearDirectoryEmptiesItOnlyWhenNoProcessIsAlive() throws IOException {
        liveAndDie(9_300_001, 1);
        MappedValueStore alive = processes.start(dir, 9_300_002);
        record(alive, 2);
        liveAndDie(9_300_003, 3);
        Files.createFile(dir.resolve("counter_9300009.db.damaged"));
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        assertEquals(4.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q1"}));

        List<String> warnings = LogCapture.warnings(() -> assertFalse(MultiProcess.clearDirectory(dir), "a process is alive"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("[9300002] are alive"), warnings.get(0));
        assertEquals(Set.of("archive.db", "compact.lock", "counter_9300009.db.damaged", "process_9300002.p9300002.lock",
                        "counter_9300002.db", "histogram_9300002.db", "gauge_max_9300002.db", "gauge_livesum_9300002.db"),
                Set.copyOf(fileNames()), "the dead process was merged, nothing removed");
        assertEquals(4.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q1"}));
        assertEquals(2.0, registry.getSampleValue("jobs_total", new String[] {"queue"}, new String[] {"q0"}));

        alive.close();
        assertTrue(MultiProcess.clearDirectory(dir));
        assertEquals(List.of("compact.lock"), fileNames());
        assertTrue(registry.collect().isEmpty());
    }

    /**
     * A compaction removes a dead process's lock file only if the file under that name is still the one it
     * locked: a file that replaced it meanwhile is a live process's, which must never lose it. Here the
     * compaction is held between locking and removing by another dead process's file that is a named pipe,
     * whose reading waits for a writer.
     */
    @Test
    void aCompactionRemovesOnlyTheLockFileItLocked() throws Exception {
        liveAndDie(9_300_001, 1);
        Path lockFile = dir.resolve("process_9300001.p9300001.lock");
        Path pipe = dir.resolve("counter_9300002.db");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
        FutureTask<MappedValueStore> start = new FutureTask<>(() -> processes.start(dir, 9_300_003));
        Thread starting = new Thread(start, "starting process");
        starting.setDaemon(true); // never keeps the JVM alive should it wait for the pipe for ever
        starting.start();
        RealTools.await(Duration.ofSeconds(30), "the compaction reads the pipe", () -> readsDeadFiles(starting));

        Files.delete(lockFile);
        try (FileChannel live = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileLock held = live.lock()) {
            Files.newOutputStream(pipe).close(); // a writer lets the reader open the pipe: it finds it empty
            start.get(30, TimeUnit.SECONDS);
            assertTrue(held.isValid());
            assertTrue(Files.exists(lockFile), "the live process's lock file");
        }
    }

    /** True once the thread's compaction reads the files of dead processes, whose lock files it holds by then. */
    private static boolean readsDeadFiles(Thread thread) {
        List<String> frames = Arrays.stream(thread.getStackTrace()).map(StackTraceElement::getMethodName).toList();
        return frames.contains("compactLocked") && frames.contains("read") && !frames.contains("readArchiveForCompaction");
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
