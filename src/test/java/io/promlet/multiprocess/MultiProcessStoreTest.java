package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Info;
import io.promlet.StateSet;
import io.promlet.Summary;

import io.promlet.TestStores;

import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared-file store, with several stores in one JVM standing in for processes (each claims its own id
 * and lock, as a process does); {@code MultiProcessJvmTest} does the same with real processes.
 */
class MultiProcessStoreTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    private MappedValueStore process(long pid) throws IOException {
        return processes.start(dir, pid);
    }

    private CollectorRegistry scraped() {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        return registry;
    }

    @Test
    void countersHistogramsAndSummedGaugesAddUpOverProcesses() throws IOException {
        for (int p = 1; p <= 3; p++) {
            MappedValueStore store = process(9_000_000 + p);
            CollectorRegistry own = new CollectorRegistry();
            Counter requests = TestStores.valueStore(Counter.builder().name("requests_total").help("Requests.").labelNames("path"), store).register(own);
            Histogram latency = TestStores.valueStore(Histogram.builder().name("latency").unit("seconds").help("Latency.")
                    .buckets(0.1, 1), store).register(own);
            Gauge inFlight = TestStores.valueStore(Gauge.builder().name("in_flight").help("In flight.")
                    .multiProcessMode(Gauge.MultiProcessMode.LIVESUM), store).register(own);
            requests.labels("/a").inc(p);
            requests.labels("/b").inc();
            latency.observe(0.05);
            latency.observe(0.5 * p);
            inFlight.inc(p);
            assertEquals(p, own.getSampleValue("requests_total", new String[] {"path"}, new String[] {"/a"}),
                    "a process's own registry shows its own values");
        }
        CollectorRegistry registry = scraped();
        assertEquals(6.0, registry.getSampleValue("requests_total", new String[] {"path"}, new String[] {"/a"}));
        assertEquals(3.0, registry.getSampleValue("requests_total", new String[] {"path"}, new String[] {"/b"}));
        assertEquals(3.0, registry.getSampleValue("latency_seconds_bucket", new String[] {"le"}, new String[] {"0.1"}));
        assertEquals(5.0, registry.getSampleValue("latency_seconds_bucket", new String[] {"le"}, new String[] {"1.0"}));
        assertEquals(6.0, registry.getSampleValue("latency_seconds_bucket", new String[] {"le"}, new String[] {"+Inf"}));
        assertEquals(6.0, registry.getSampleValue("latency_seconds_count"));
        assertEquals(0.15 + 3.0, registry.getSampleValue("latency_seconds_sum"), 1e-9);
        assertEquals(6.0, registry.getSampleValue("in_flight"));
        MetricFamily latency = family(registry, "latency_seconds");
        assertEquals("seconds", latency.unit());
        assertEquals("Latency.", latency.help());
        assertNull(registry.getSampleValue("requests_created", new String[] {"path"}, new String[] {"/a"}),
                "no _created in this mode");
    }

    @Test
    void infoAndStateSetShowWhatLiveProcessesHave() throws IOException {
        MappedValueStore a = process(9_000_001);
        MappedValueStore b = process(9_000_002);
        Info infoA = TestStores.valueStore(Info.builder().name("build").help("Build."), a).register(new CollectorRegistry());
        Info infoB = TestStores.valueStore(Info.builder().name("build").help("Build."), b).register(new CollectorRegistry());
        StateSet stateA = TestStores.valueStore(StateSet.builder().name("phase").help("Phase.").labelNames("job")
                .states("idle", "busy", "done"), a).register(new CollectorRegistry());
        StateSet stateB = TestStores.valueStore(StateSet.builder().name("phase").help("Phase.").labelNames("job")
                .states("idle", "busy", "done"), b).register(new CollectorRegistry());
        infoA.info("version", "1.0");
        infoB.info("version", "1.0");
        infoB.info("version", "1.1");
        stateA.labels("x").state("busy");
        stateB.labels("x").state("done");
        stateB.labels("y");

        CollectorRegistry registry = scraped();
        String[] version = {"version"};
        assertEquals(1.0, registry.getSampleValue("build_info", version, new String[] {"1.0"}));
        assertEquals(1.0, registry.getSampleValue("build_info", version, new String[] {"1.1"}));
        assertNull(registry.getSampleValue("build_info"), "the label set before info() was replaced");
        String[] jobState = {"job", "phase"};
        assertEquals(0.0, registry.getSampleValue("phase", jobState, new String[] {"x", "idle"}));
        assertEquals(1.0, registry.getSampleValue("phase", jobState, new String[] {"x", "busy"}));
        assertEquals(1.0, registry.getSampleValue("phase", jobState, new String[] {"x", "done"}));
        assertEquals(1.0, registry.getSampleValue("phase", jobState, new String[] {"y", "idle"}));

        b.close(); // process b dies
        assertNull(registry.getSampleValue("build_info", version, new String[] {"1.1"}));
        assertEquals(1.0, registry.getSampleValue("build_info", version, new String[] {"1.0"}));
        assertEquals(0.0, registry.getSampleValue("phase", jobState, new String[] {"x", "done"}));
        assertNull(registry.getSampleValue("phase", jobState, new String[] {"y", "idle"}));
    }

    @Test
    void incrementsFromManyThreadsAreExact() throws Exception {
        MappedValueStore store = process(9_000_001);
        Counter counter = TestStores.valueStore(Counter.builder().name("ops_total").help("Ops."), store).register(new CollectorRegistry());
        Gauge gauge = TestStores.valueStore(Gauge.builder().name("level").help("Level.").multiProcessMode("livesum"), store)
                .register(new CollectorRegistry());
        int threads = 4;
        int perThread = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    counter.inc();
                    gauge.inc(2);
                    gauge.dec();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        CollectorRegistry registry = scraped();
        assertEquals(threads * perThread, registry.getSampleValue("ops_total"));
        assertEquals(threads * perThread, registry.getSampleValue("level"));
    }

    @Test
    void filesGrowAndValuesMadeBeforeStillCount() throws IOException {
        MappedValueStore store = process(9_000_001);
        Counter counter = TestStores.valueStore(Counter.builder().name("hits_total").help("Hits by a rather long key name.").labelNames("key")
                .cardinalityLimit(Integer.MAX_VALUE), store).register(new CollectorRegistry());
        Counter.Child first = counter.labels("first");
        first.inc();
        for (int i = 0; i < 2_000; i++) {
            counter.labels("key-" + i).inc(i);
        }
        first.inc();
        assertTrue(Files.size(dir.resolve("counter_9000001.db")) > 64 * 1024, "the file grew");
        CollectorRegistry registry = scraped();
        assertEquals(2.0, registry.getSampleValue("hits_total", new String[] {"key"}, new String[] {"first"}));
        assertEquals(1999.0, registry.getSampleValue("hits_total", new String[] {"key"}, new String[] {"key-1999"}));
    }

    @Test
    void aReaderNeverSeesAHalfWrittenEntry() throws Exception {
        MappedValueStore store = process(9_000_001);
        Counter counter = TestStores.valueStore(Counter.builder().name("keys_total").help("Keys.").labelNames("key")
                .cardinalityLimit(Integer.MAX_VALUE), store)
                .register(new CollectorRegistry());
        MultiProcessCollector collector = new MultiProcessCollector(dir);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> writer = pool.submit(() -> {
            started.countDown();
            for (int i = 0; i < 20_000; i++) {
                counter.labels("k" + i).inc();
            }
            writing.set(false);
        });
        started.await();
        int[] scrapes = {0};
        int[] seen = {0};
        List<String> log = LogCapture.warnings(() -> {
            while (writing.get()) {
                List<MetricFamily> families = collector.collect();
                List<Sample> samples = families.isEmpty() ? List.of() : families.get(0).samples();
                for (Sample s : samples) {
                    // A complete entry, though maybe not incremented yet.
                    assertTrue(s.value() == 0 || s.value() == 1, s.toString());
                    assertTrue(s.labels().get("key").matches("k\\d+"), s.toString());
                }
                assertTrue(samples.size() >= seen[0], "entries never disappear");
                seen[0] = samples.size();
                scrapes[0]++;
            }
        });
        writer.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(scrapes[0] > 0);
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(20_000, collector.collect().get(0).points().size());
    }

    @Test
    void unsupportedFeaturesFailNamingTheMetric() throws IOException {
        MappedValueStore store = process(9_000_001);
        Gauge gauge = TestStores.valueStore(Gauge.builder().name("queue_size").help("Size."), store).register(new CollectorRegistry());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gauge.setFunction(() -> 1));
        assertTrue(e.getMessage().contains("queue_size") && e.getMessage().contains("setFunction"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TestStores.valueStore(Gauge.builder().name("per_pid").help("x.").labelNames("pid"), store).register(new CollectorRegistry()));
        assertTrue(e.getMessage().contains("per_pid") && e.getMessage().contains("pid"), e.getMessage());
        TestStores.valueStore(Gauge.builder().name("per_pid").help("x.").labelNames("pid").multiProcessMode("max"), store)
                .register(new CollectorRegistry());

        e = assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name("odd").help("x.")
                .multiProcessMode("newest").register(new CollectorRegistry()));
        assertTrue(e.getMessage().contains("odd") && e.getMessage().contains("newest")
                && e.getMessage().contains("livemostrecent"), e.getMessage());
    }

    @Test
    void summariesAddUpCountAndSumButHaveNoQuantiles() throws IOException {
        for (int p = 1; p <= 2; p++) {
            MappedValueStore store = process(9_000_000 + p);
            Summary summary = TestStores.valueStore(Summary.builder().name("size_bytes").help("Sizes.").labelNames("kind"), store).register(new CollectorRegistry());
            summary.labels("a").observe(10 * p);
            summary.labels("a").observe(1);
        }
        CollectorRegistry registry = scraped();
        String[] kind = {"kind"};
        assertEquals(4.0, registry.getSampleValue("size_bytes_count", kind, new String[] {"a"}));
        assertEquals(32.0, registry.getSampleValue("size_bytes_sum", kind, new String[] {"a"}));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestStores.valueStore(Summary.builder()
                .name("latency_seconds").help("Latency.").quantile(0.5), process(9_000_003)).register(new CollectorRegistry()));
        assertTrue(e.getMessage().contains("latency_seconds") && e.getMessage().contains("quantiles"), e.getMessage());
    }

    @Test
    void exemplarsAreRecordedButNotShown() throws IOException {
        MappedValueStore store = process(9_000_001);
        Counter counter = TestStores.valueStore(Counter.builder().name("traced_total").help("Traced."), store).register(new CollectorRegistry());
        counter.inc(2, Map.of("trace_id", "abc"));
        Sample sample = family(scraped(), "traced").samples().get(0);
        assertEquals(2.0, sample.value());
        assertNull(sample.exemplar());
    }

    @Test
    void aMissingDirectoryIsNamedInTheError() {
        Path missing = dir.resolve("nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiProcessCollector(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> {
            Path file = Files.createFile(dir.resolve("plain"));
            new MappedValueStore(file, 9_000_001);
        });
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    static MetricFamily family(CollectorRegistry registry, String name) {
        return registry.collect().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
