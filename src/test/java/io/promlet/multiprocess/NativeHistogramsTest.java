package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import io.promlet.TestStores;
import io.promlet.exposition.ProtobufFormat;
import io.promlet.exposition.TextFormat;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.tools.ProtobufExposition;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native histograms in the multi-process mode: each process counts at its histogram's fixed schema, a scrape adds
 * the counts up by bucket index and reduces the schema to the bucket limit. The truth is the same observations in
 * an in-memory histogram, whose counts are a different engine; values are dyadic, so sums are exact in any order.
 */
class NativeHistogramsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    private static final double[] FIRST = {0.0078125, 0.03125, 0.03125, 0.25, 1.5, 1.5, 2, 7, 40, 0};
    private static final double[] SECOND = {0.03125, 0.25, 0.375, 2, 2, 1024, 0x1p-140};

    private static final String[] ROUTE_A = {"/a"};
    private static final String[] NO_LABELS = {};

    private static Histogram.Builder latency() {
        return Histogram.builder().name("latency_seconds").help("Latency.").labelNames("route").buckets(0.01, 0.1, 1, 10);
    }

    private Histogram in(MappedValueStore store, Histogram.Builder builder) {
        return TestStores.valueStore(builder, store).register(new CollectorRegistry());
    }

    private CollectorRegistry scraped() {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        return registry;
    }

    /** The point an in-memory histogram built the same way shows for these values, with no schema reduction. */
    private static HistogramMetricFamily.Point truth(Histogram.Builder builder, String[] labelValues, double[]... values) {
        Histogram h = builder.nativeMaxNumberOfBuckets(100_000).register(new CollectorRegistry());
        for (double[] vs : values) {
            for (double v : vs) {
                h.labels(labelValues).observe(v);
            }
        }
        return ((HistogramMetricFamily) h.collect().get(0)).points().get(0);
    }

    private static HistogramMetricFamily.Point point(CollectorRegistry registry, String family) {
        MetricFamily f = registry.collect().stream().filter(m -> m.name().equals(family)).findFirst().orElseThrow();
        return ((HistogramMetricFamily) f).points().get(0);
    }

    @Test
    void twoProcessesAddUpByBucketIndexInProtobufAndText() throws IOException {
        MappedValueStore first = process(9_400_001);
        MappedValueStore second = process(9_400_002);
        Histogram a = in(first, latency());
        Histogram b = in(second, latency());
        for (double v : FIRST) {
            a.labels("/a").observe(v);
        }
        for (double v : SECOND) {
            b.labels("/a").observe(v);
        }
        b.labels("/b").observe(3);
        HistogramMetricFamily.Point truth = truth(latency(), ROUTE_A, FIRST, SECOND);
        NativeBuckets expected = truth.nativeBuckets();
        assertEquals(5, expected.schema());
        assertEquals(3L, positive(expected).get(32), "2 closes bucket 32 at schema 5 (three of them)");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtobufFormat.write(bytes, scraped().collect(), false);
        Metrics.MetricFamily family = ProtobufExposition.parse(bytes.toByteArray()).stream()
                .filter(f -> f.getName().equals("latency_seconds")).findFirst().orElseThrow();
        assertEquals(2, family.getMetricCount());
        Metrics.Histogram h = family.getMetricList().stream()
                .filter(m -> m.getLabel(0).getValue().equals("/a")).findFirst().orElseThrow().getHistogram();
        assertEquals(FIRST.length + SECOND.length, h.getSampleCount());
        assertEquals(truth.sum(), h.getSampleSum());
        assertEquals(5, h.getSchema());
        assertEquals(0x1p-128, h.getZeroThreshold());
        assertEquals(2, h.getZeroCount(), "0 and 2^-140");
        assertEquals(expected.zeroCount(), h.getZeroCount());
        assertEquals(positive(expected), ProtobufExposition.nativeBuckets(h.getPositiveSpanList(), h.getPositiveDeltaList()));
        assertEquals(Map.of(), ProtobufExposition.nativeBuckets(h.getNegativeSpanList(), h.getNegativeDeltaList()));
        long[] classic = h.getBucketList().stream().mapToLong(Metrics.Bucket::getCumulativeCount).toArray();
        assertArrayEquals(truth.cumulativeCounts(), classic);

        String text = TextFormat.generateLatest(scraped());
        CollectorRegistry truthRegistry = new CollectorRegistry();
        Histogram inMemory = latency().register(truthRegistry);
        for (double[] vs : new double[][] {FIRST, SECOND}) {
            for (double v : vs) {
                inMemory.labels("/a").observe(v);
            }
        }
        assertEquals(sampleLines(TextFormat.generateLatest(truthRegistry), "/a"), sampleLines(text, "/a"));
        assertTrue(text.contains("latency_seconds_bucket{route=\"/b\",le=\"10.0\"} 1.0"), text);
        assertFalse(text.contains("_native"), text);

        NativeBuckets own = ((HistogramMetricFamily) a.collect().get(0)).points().get(0).nativeBuckets();
        assertEquals(FIRST.length, own.count(), "a process's own registry shows its own part");
    }

    @Test
    void aNativeBucketAcrossAClassicBoundCountsEachValueInItsOwnClassicBucket() throws IOException {
        Histogram a = in(process(9_400_071), latency());
        Histogram b = in(process(9_400_072), latency());
        a.labels("/a").observe(0.099);
        a.labels("/a").observe(0.1);
        b.labels("/a").observe(0.1005);
        HistogramMetricFamily.Point merged = point(scraped(), "latency_seconds");
        // (2^(-107/32), 2^(-106/32)] = (0.0988, 0.1010] holds all three and the classic bound 0.1.
        assertEquals(Map.of(-106, 3L), positive(merged.nativeBuckets()));
        assertArrayEquals(new long[] {0, 2, 3, 3, 3}, merged.cumulativeCounts());
    }

    @Test
    void negativeValuesAndTheZeroBucket() throws IOException {
        Supplier<Histogram.Builder> builder = () -> Histogram.builder().name("delta").help("Delta.").nativeOnly()
                .nativeMinZeroThreshold(0.1);
        double[] firstValues = {-3, -3, -0.5, 0, -0.0, 0.0625, -0.1, 0.25};
        double[] secondValues = {-3, -1024, 0.1, 0.125, -0.125};
        Histogram a = in(process(9_400_011), builder.get());
        Histogram b = in(process(9_400_012), builder.get());
        Arrays.stream(firstValues).forEach(a::observe);
        Arrays.stream(secondValues).forEach(b::observe);

        NativeBuckets expected = truth(builder.get(), NO_LABELS, firstValues, secondValues).nativeBuckets();
        HistogramMetricFamily.Point merged = point(scraped(), "delta");
        assertEquals(expected, merged.nativeBuckets());
        assertEquals(5, merged.nativeBuckets().zeroCount(), "0, -0, 0.0625, -0.1, 0.1 and nothing above 0.1");
        assertEquals(0.1, merged.nativeBuckets().zeroThreshold());
        assertEquals(6, Arrays.stream(merged.nativeBuckets().negativeCounts()).sum(), "-3 three times, -0.5, -0.125, -1024");
        assertEquals(13, merged.count());
        assertEquals(-3 * 3 - 0.5 - 0.1 + 0.0625 + 0.25 - 1024 + 0.1 + 0.125 - 0.125, merged.sum(), 1e-12);

        String text = TextFormat.generateLatest(scraped());
        assertTrue(text.contains("delta_bucket{le=\"+Inf\"} 13.0\ndelta_count 13.0\n"), text);
    }

    @Test
    void aScrapeReducesTheSchemaToTheBucketLimitAndKeepsEveryObservation() throws IOException {
        Supplier<Histogram.Builder> builder = () -> Histogram.builder().name("sizes").help("Sizes.").buckets(16, 256)
                .nativeInitialSchema(3).nativeMaxNumberOfBuckets(5);
        double[] firstValues = new double[20];
        double[] secondValues = new double[31];
        for (int i = 0; i < firstValues.length; i++) {
            firstValues[i] = i + 1;
        }
        for (int i = 0; i < secondValues.length; i++) {
            secondValues[i] = 30 + i;
        }
        MappedValueStore first = process(9_400_021);
        Histogram a = in(first, builder.get());
        Histogram b = in(process(9_400_022), builder.get());
        Arrays.stream(firstValues).forEach(a::observe);
        Arrays.stream(secondValues).forEach(b::observe);

        NativeBuckets exact = truth(builder.get(), NO_LABELS, firstValues, secondValues).nativeBuckets();
        assertEquals(3, exact.schema());
        assertTrue(exact.positiveIndexes().length > 20);
        TreeMap<Integer, Long> expected = positive(exact);
        int schema = 3;
        while (expected.size() > 5) {
            TreeMap<Integer, Long> coarser = new TreeMap<>();
            expected.forEach((i, n) -> coarser.merge(Math.floorDiv(i + 1, 2), n, Long::sum));
            expected = coarser;
            schema--;
        }
        HistogramMetricFamily.Point merged = point(scraped(), "sizes");
        assertEquals(schema, merged.nativeBuckets().schema());
        assertEquals(expected, positive(merged.nativeBuckets()));
        assertEquals(51, merged.nativeBuckets().count());
        assertArrayEquals(new long[] {16, 51, 51}, merged.cumulativeCounts(), "classic buckets 16, 256, +Inf");

        // The process itself never reduced: every native value in its file is at the initial schema.
        List<String> schemas = ValueFile.read(dir.resolve("histogram_" + first.id() + ".db")).entries.stream()
                .filter(e -> e.key.sample.equals("sizes_native"))
                .map(e -> e.key.labels.value(e.key.labels.size() - 1).split(" ")[2])
                .distinct().collect(Collectors.toList());
        assertEquals(List.of("schema=3"), schemas);
        assertTrue(((HistogramMetricFamily) a.collect().get(0)).points().get(0).nativeBuckets().positiveIndexes().length <= 5,
                "a process's own registry reduces too");
    }

    @Test
    void aDeadProcessesCountsSurviveCompaction() throws IOException {
        try (MappedValueStore dying = processes.start(dir, 9_400_031)) {
            Histogram a = in(dying, latency());
            Arrays.stream(FIRST).forEach(v -> a.labels("/a").observe(v));
        }
        MappedValueStore next = process(9_400_032);
        assertFalse(Files.exists(dir.resolve("histogram_9400031.db")), "merged into the archive");
        Histogram b = in(next, latency());
        Arrays.stream(SECOND).forEach(v -> b.labels("/a").observe(v));
        HistogramMetricFamily.Point truth = truth(latency(), ROUTE_A, FIRST, SECOND);
        HistogramMetricFamily.Point merged = point(scraped(), "latency_seconds");
        assertEquals(truth.nativeBuckets(), merged.nativeBuckets());
        assertArrayEquals(truth.cumulativeCounts(), merged.cumulativeCounts());
        assertEquals(truth.sum(), merged.sum());

        next.close();
        process(9_400_033);
        merged = point(scraped(), "latency_seconds");
        assertEquals(truth.nativeBuckets(), merged.nativeBuckets(), "both in the archive now");
        assertArrayEquals(truth.cumulativeCounts(), merged.cumulativeCounts());
    }

    @Test
    void aChildSomeProcessesKeepClassicOnlyShowsItsClassicBucketsWithOneWarning() throws IOException {
        Histogram classic = in(process(9_400_041), latency().classicOnly());
        Histogram both = in(process(9_400_042), latency());
        classic.labels("/a").observe(0.05);
        both.labels("/a").observe(0.5);
        both.labels("/b").observe(5);
        CollectorRegistry registry = scraped();
        List<String> warnings = LogCapture.warnings(() -> {
            registry.collect();
            registry.collect();
        });
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("latency_seconds") && warnings.get(0).contains("classic"), warnings.get(0));
        List<HistogramMetricFamily.Point> points = ((HistogramMetricFamily) registry.collect().get(0)).points();
        assertNull(points.get(0).nativeBuckets());
        assertArrayEquals(new long[] {0, 1, 2, 2, 2}, points.get(0).cumulativeCounts());
        assertEquals(1, points.get(1).nativeBuckets().count(), "a child only native processes have keeps its native buckets");
    }

    @Test
    void aDamagedNativeEntryCostsOnlyItsObservationsInBothKindsOfBucket() throws IOException {
        MappedValueStore store = process(9_400_051);
        Histogram h = in(store, latency());
        Arrays.stream(FIRST).forEach(v -> h.labels("/a").observe(v));
        Path file = dir.resolve("histogram_" + store.id() + ".db");
        byte[] bytes = Files.readAllBytes(file);
        byte[] bucket32 = "bucket=positive:32 ".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, bucket32);
        assertTrue(at > 0);
        bytes[at + bucket32.length - 2] = 'x';
        Files.write(file, bytes);

        CollectorRegistry registry = scraped();
        AtomicReference<HistogramMetricFamily.Point> merged = new AtomicReference<>();
        List<String> warnings = LogCapture.warnings(() -> merged.set(point(registry, "latency_seconds")));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(file.getFileName().toString()), warnings.get(0));
        assertEquals(FIRST.length - 1, merged.get().count(), "the one observation of 2 is lost");
        assertEquals(FIRST.length - 1, merged.get().nativeBuckets().count());
        assertNull(positive(merged.get().nativeBuckets()).get(32));
    }

    @Test
    void concurrentObserversAndScrapesAlwaysSeeClassicAndNativeCountsAgree() throws Exception {
        MappedValueStore store = process(9_400_061);
        Histogram h = in(store, Histogram.builder().name("busy").help("Busy.").buckets(0.01, 1, 100)
                .nativeInitialSchema(2).nativeMaxNumberOfBuckets(8));
        int threads = 3;
        int perThread = 50_000;
        List<Thread> observers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread observer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    h.observe((i % 2 == 0 ? 1 : -1) * Math.scalb(1 + (i % 13) / 13.0, (i * 7 + seed) % 40 - 20));
                }
            });
            observers.add(observer);
            observer.start();
        }
        CollectorRegistry registry = scraped();
        AtomicBoolean running = new AtomicBoolean(true);
        long last = 0;
        int scrapes = 0;
        List<String> warnings = new ArrayList<>();
        while (running.get()) {
            running.set(observers.stream().anyMatch(Thread::isAlive));
            List<String> seen = LogCapture.warnings(() -> {
                HistogramMetricFamily.Point p = point(registry, "busy");
                assertEquals(p.count(), p.nativeBuckets().count());
                assertTrue(p.nativeBuckets().positiveIndexes().length + p.nativeBuckets().negativeIndexes().length <= 8);
            });
            warnings.addAll(seen);
            long count = point(registry, "busy").count();
            assertTrue(count >= last, count + " after " + last);
            last = count;
            scrapes++;
        }
        for (Thread observer : observers) {
            observer.join();
        }
        assertTrue(scrapes > 1);
        assertEquals(List.of(), warnings);
        assertEquals(threads * perThread, point(registry, "busy").count());
    }

    private MappedValueStore process(long pid) throws IOException {
        return processes.start(dir, pid);
    }

    /** The lines of one route's samples, without _created. */
    private static List<String> sampleLines(String text, String route) {
        return text.lines().filter(l -> l.contains("route=\"" + route + "\"") && !l.contains("_created"))
                .collect(Collectors.toList());
    }

    private static TreeMap<Integer, Long> positive(NativeBuckets buckets) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        int[] indexes = buckets.positiveIndexes();
        long[] counts = buckets.positiveCounts();
        for (int i = 0; i < indexes.length; i++) {
            map.put(indexes[i], counts[i]);
        }
        return map;
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= bytes.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
