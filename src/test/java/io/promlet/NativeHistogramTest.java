package io.promlet;

import io.promlet.exposition.TextFormat;
import io.promlet.internal.NativeBucketIndex;
import io.promlet.internal.Value;
import io.promlet.internal.ValueStore;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.NativeBuckets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeHistogramTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    private static HistogramMetricFamily.Point point(Histogram h) {
        return ((HistogramMetricFamily) h.collect().get(0)).points().get(0);
    }

    /** The buckets of one sign as index to count, for comparing with what the values should give. */
    private static TreeMap<Integer, Long> buckets(int[] indexes, long[] counts) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        for (int i = 0; i < indexes.length; i++) {
            map.put(indexes[i], counts[i]);
        }
        return map;
    }

    private static TreeMap<Integer, Long> expected(List<Double> values, int schema) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        for (double v : values) {
            map.merge(NativeBucketIndex.of(v, schema), 1L, Long::sum);
        }
        return map;
    }

    @Test
    void byDefaultAHistogramHasClassicAndNativeBucketsOverTheSameObservations() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").register(registry);
        h.observe(0.003);
        h.observe(0.2);
        h.observe(0.2);
        h.observe(3);
        HistogramMetricFamily.Point p = point(h);
        assertEquals(15, p.upperBounds().length);
        assertEquals(4, p.count());
        NativeBuckets nb = p.nativeBuckets();
        assertNotNull(nb);
        assertEquals(5, nb.schema());
        assertEquals(0x1p-128, nb.zeroThreshold());
        assertEquals(4, nb.count());
        assertEquals(expected(List.of(0.003, 0.2, 0.2, 3.0), 5), buckets(nb.positiveIndexes(), nb.positiveCounts()));
        assertEquals(3.403, p.sum(), 1e-9);
    }

    @Test
    void zeroAndTinyValuesGoToTheZeroBucketAndNegativeValuesToTheirOwnBuckets() {
        Histogram h = Histogram.builder().name("change").help("Change.").nativeOnly().nativeInitialSchema(0).register(registry);
        h.observe(0);
        h.observe(-0.0);
        h.observe(1e-40);
        h.observe(0x1p-128);
        h.observe(Math.nextUp(0x1p-128));
        h.observe(-3);
        h.observe(-4);
        h.observe(-4.5);
        h.observe(2);
        NativeBuckets nb = point(h).nativeBuckets();
        assertEquals(4, nb.zeroCount());
        assertEquals(buckets(new int[] {-127, 1}, new long[] {1, 1}), buckets(nb.positiveIndexes(), nb.positiveCounts()));
        assertEquals(buckets(new int[] {2, 3}, new long[] {2, 1}), buckets(nb.negativeIndexes(), nb.negativeCounts()));
        assertEquals(9, point(h).count());
    }

    @Test
    void aWiderZeroThresholdTakesMoreValues() {
        Histogram h = Histogram.builder().name("wait_seconds").help("Wait.").nativeOnly().nativeMinZeroThreshold(0.001).register(registry);
        h.observe(0.001);
        h.observe(-0.0005);
        h.observe(0.0011);
        NativeBuckets nb = point(h).nativeBuckets();
        assertEquals(0.001, nb.zeroThreshold());
        assertEquals(2, nb.zeroCount());
        assertEquals(1, nb.positiveCounts().length);
    }

    @Test
    void aNativeOnlyHistogramShowsCountSumAndTheInfBucketInText() throws Exception {
        Histogram h = Histogram.builder().name("job_duration_seconds").help("Jobs.").nativeOnly().register(registry);
        h.observe(1.5);
        h.observe(2.5);
        HistogramMetricFamily.Point p = point(h);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, p.upperBounds());
        assertArrayEquals(new long[] {2}, p.cumulativeCounts());
        String text = TextFormat.generateLatest(registry);
        assertEquals("# HELP job_duration_seconds Jobs.\n# TYPE job_duration_seconds histogram\n"
                + "job_duration_seconds_bucket{le=\"+Inf\"} 2.0\njob_duration_seconds_count 2.0\njob_duration_seconds_sum 4.0\n", text);
    }

    @Test
    void classicBoundsInsideOneNativeBucketStillCountApart() {
        // At schema -4, native bucket 1 is (1, 65536]: the classic bounds 2, 3 and 10 fall inside it.
        Histogram h = Histogram.builder().name("coarse").help("Coarse.").buckets(1, 2, 3, 10).nativeInitialSchema(-4)
                .register(registry);
        h.observe(1);
        h.observe(1.5);
        h.observe(2.5);
        h.observe(3);
        h.observe(5);
        h.observe(20);
        HistogramMetricFamily.Point p = point(h);
        assertArrayEquals(new long[] {1, 2, 4, 5, 6}, p.cumulativeCounts());
        assertEquals(buckets(new int[] {0, 1}, new long[] {1, 5}), buckets(p.nativeBuckets().positiveIndexes(), p.nativeBuckets().positiveCounts()));
    }

    @Test
    void negativeAndZeroClassicBoundsMatchTheZeroAndNegativeNativeBuckets() {
        Histogram h = Histogram.builder().name("signed").help("Signed.").buckets(-1, -0.0001, 0, 1).nativeMinZeroThreshold(0.001)
                .register(registry);
        for (double v : new double[] {-2, -1, -0.5, -0.0005, -0.0, 0, 0.0005, 0.5, 2}) {
            h.observe(v);
        }
        HistogramMetricFamily.Point p = point(h);
        // le=-1: -2, -1; le=-0.0001: -0.5, -0.0005; le=0: -0.0, 0; le=1: 0.0005, 0.5; +Inf: 2
        assertArrayEquals(new long[] {2, 4, 6, 8, 9}, p.cumulativeCounts());
        assertEquals(4, p.nativeBuckets().zeroCount()); // -0.0005, -0.0, 0, 0.0005
        assertEquals(9, p.nativeBuckets().count());
        // A reduction keeps the classic counts apart too.
        Histogram small = Histogram.builder().name("signed_small").help("Signed.").buckets(-1, -0.0001, 0, 1).nativeMinZeroThreshold(0.001)
                .nativeMaxNumberOfBuckets(2).register(registry);
        for (double v : new double[] {-2, -1, -0.5, -0.0005, -0.0, 0, 0.0005, 0.5, 2}) {
            small.observe(v);
        }
        assertArrayEquals(new long[] {2, 4, 6, 8, 9}, point(small).cumulativeCounts());
        assertTrue(point(small).nativeBuckets().schema() < 5);
    }

    @Test
    void aClassicOnlyHistogramHasNoNativeBuckets() {
        Histogram h = Histogram.builder().name("size_bytes").help("Sizes.").classicOnly().buckets(10, 100).register(registry);
        h.observe(50);
        assertNull(point(h).nativeBuckets());
        assertArrayEquals(new long[] {0, 1, 1}, point(h).cumulativeCounts());
    }

    @Test
    void reducingTheSchemaKeepsEveryObservation() {
        Histogram h = Histogram.builder().name("spread").help("Spread.").nativeOnly().nativeInitialSchema(3)
                .nativeMaxNumberOfBuckets(6).register(registry);
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            values.add((double) i);
            h.observe(i);
        }
        NativeBuckets nb = point(h).nativeBuckets();
        assertTrue(nb.schema() < 3, "schema " + nb.schema());
        assertTrue(nb.positiveIndexes().length <= 6, nb.toString());
        assertEquals(1000, nb.count());
        assertEquals(expected(values, nb.schema()), buckets(nb.positiveIndexes(), nb.positiveCounts()));
        // 1..1000 spans 10 powers of two: 6 buckets need schema -1 (2 powers each), not coarser.
        assertEquals(-1, nb.schema());
    }

    @Test
    void aReductionBetweenScrapesCarriesTheEarlierCountsOver() {
        Histogram h = Histogram.builder().name("late").help("Late.").nativeOnly().nativeMaxNumberOfBuckets(3).register(registry);
        h.observe(1.5);
        h.observe(1.6);
        assertEquals(5, point(h).nativeBuckets().schema());
        h.observe(-1000);
        h.observe(1e6);
        NativeBuckets nb = point(h).nativeBuckets();
        assertEquals(4, nb.count());
        assertEquals(expected(List.of(1.5, 1.6, 1e6), nb.schema()), buckets(nb.positiveIndexes(), nb.positiveCounts()));
        assertEquals(expected(List.of(1000.0), nb.schema()), buckets(nb.negativeIndexes(), nb.negativeCounts()));
        assertTrue(nb.positiveIndexes().length + nb.negativeIndexes().length <= 3, nb.toString());
    }

    @Test
    void atTheCoarsestSchemaTheLimitGivesWayInsteadOfLosingObservations() {
        Histogram h = Histogram.builder().name("wide").help("Wide.").nativeOnly().nativeMaxNumberOfBuckets(1).register(registry);
        h.observe(1e-30);
        h.observe(1);
        h.observe(1e30);
        NativeBuckets nb = point(h).nativeBuckets();
        assertEquals(NativeBuckets.MIN_SCHEMA, nb.schema());
        assertEquals(3, nb.positiveIndexes().length);
        assertEquals(3, nb.count());
    }

    @Test
    void afterTheResetDurationAReducedHistogramStartsAfreshAtItsInitialSchema() {
        Histogram h = Histogram.builder().name("reset").help("Reset.").nativeMaxNumberOfBuckets(2)
                .nativeResetDuration(1, TimeUnit.NANOSECONDS).buckets(10).register(registry);
        h.observe(1);
        h.observe(100);
        h.observe(10000);
        HistogramMetricFamily.Point before = point(h);
        assertTrue(before.nativeBuckets().schema() < 5);
        assertEquals(3, before.count());
        HistogramMetricFamily.Point after = point(h);
        assertEquals(0, after.count());
        assertEquals(5, after.nativeBuckets().schema());
        assertTrue(after.created() >= before.created());
        h.observe(1);
        assertEquals(1, point(h).nativeBuckets().count());
        assertArrayEquals(new long[] {1, 1}, point(h).cumulativeCounts());
    }

    @Test
    void withoutAResetDurationAReducedSchemaStays() {
        Histogram h = Histogram.builder().name("kept").help("Kept.").nativeOnly().nativeMaxNumberOfBuckets(2).register(registry);
        h.observe(1);
        h.observe(100);
        h.observe(10000);
        int schema = point(h).nativeBuckets().schema();
        assertEquals(3, point(h).count());
        assertEquals(schema, point(h).nativeBuckets().schema());
    }

    @Test
    void exemplarsStayWithTheClassicBuckets() {
        Histogram h = Histogram.builder().name("traced").help("Traced.").nativeOnly().register(registry);
        h.observe(0.5, java.util.Map.of("trace_id", "abc"));
        HistogramMetricFamily.Point p = point(h);
        assertEquals(Labels.of("trace_id", "abc"), p.exemplars()[0].labels());
        assertEquals(1, p.nativeBuckets().count());
    }

    @Test
    void settingsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("bad_schema").help("x.").nativeInitialSchema(9).register(registry));
        assertTrue(e.getMessage().contains("bad_schema") && e.getMessage().contains("9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("bad_max").help("x.").nativeMaxNumberOfBuckets(0).register(registry));
        assertTrue(e.getMessage().contains("bad_max"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("bad_zero").help("x.").nativeMinZeroThreshold(-1).register(registry));
        assertTrue(e.getMessage().contains("bad_zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("both").help("x.").nativeOnly().buckets(1, 2).register(registry));
        assertTrue(e.getMessage().contains("both"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("classic").help("x.").classicOnly().nativeInitialSchema(3).register(registry));
        assertTrue(e.getMessage().contains("classic"), e.getMessage());
    }

    /** A store that says it is shared, as the multi-process mode's is, and keeps its values in memory. */
    private static final ValueStore SHARED = new ValueStore() {
        @Override
        public Value counter(String metricName, String sampleName, Labels labels) {
            return ValueStore.MEMORY.counter(metricName, sampleName, labels);
        }

        @Override
        public Value gauge(String metricName, String sampleName, Labels labels) {
            return ValueStore.MEMORY.gauge(metricName, sampleName, labels);
        }

        @Override
        public boolean shared() {
            return true;
        }
    };

    @Test
    void inTheMultiProcessModeNativeSettingsAreTakenButAResetDurationIsAnError() {
        Histogram plain = Histogram.builder().name("plain").help("Plain.").valueStore(SHARED).register(registry);
        plain.observe(1);
        assertEquals(1, point(plain).nativeBuckets().count(), "a default histogram has native buckets there too");
        Histogram nativeOnly = Histogram.builder().name("native_one").help("x.").nativeOnly().nativeInitialSchema(2)
                .nativeMaxNumberOfBuckets(10).nativeMinZeroThreshold(0.001).valueStore(SHARED).register(registry);
        nativeOnly.observe(3);
        assertEquals(2, point(nativeOnly).nativeBuckets().schema());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Histogram.builder().name("resetting")
                .help("x.").nativeResetDuration(1, TimeUnit.HOURS).valueStore(SHARED).register(registry));
        assertTrue(e.getMessage().contains("resetting") && e.getMessage().contains("multi-process"), e.getMessage());
    }

    @Test
    void concurrentObserversAndScrapesAlwaysSeeWholeObservations() throws Exception {
        Histogram h = Histogram.builder().name("busy").help("Busy.").buckets(0.01, 1, 100).nativeInitialSchema(8)
                .nativeMaxNumberOfBuckets(12).register(registry);
        int threads = 3;
        int perThread = 200_000;
        AtomicBoolean observing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> observers = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            double[] values = new double[perThread];
            for (int i = 0; i < perThread; i++) {
                // Both signs, over more and more powers of two as the run goes on, so that the schema is reduced again
                // and again while the other threads observe and the scraper reads.
                int powers = 1 + (int) (40L * i / perThread);
                values[i] = (i % 2 == 0 ? 1 : -1) * Math.scalb(1 + (i % 97) / 97.0, (i * 7 + t) % powers - 20);
                all.add(values[i]);
            }
            Thread observer = new Thread(() -> {
                for (double v : values) {
                    h.observe(v);
                }
            });
            observers.add(observer);
            observer.start();
        }
        Thread scraper = new Thread(() -> {
            long lastCount = 0;
            try {
                while (observing.get()) {
                    // The point's constructor refuses native buckets that count other observations than the classic ones.
                    HistogramMetricFamily.Point p = point(h);
                    NativeBuckets nb = p.nativeBuckets();
                    assertEquals(p.count(), nb.count());
                    assertTrue(p.count() >= lastCount, "count went back from " + lastCount + " to " + p.count());
                    assertTrue(nb.positiveIndexes().length + nb.negativeIndexes().length <= 12, nb.toString());
                    lastCount = p.count();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        scraper.start();
        for (Thread observer : observers) {
            observer.join();
        }
        observing.set(false);
        scraper.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        HistogramMetricFamily.Point p = point(h);
        NativeBuckets nb = p.nativeBuckets();
        assertEquals((long) threads * perThread, p.count());
        List<Double> positive = new ArrayList<>();
        List<Double> negative = new ArrayList<>();
        for (double v : all) {
            (v > 0 ? positive : negative).add(Math.abs(v));
        }
        assertEquals(expected(positive, nb.schema()), buckets(nb.positiveIndexes(), nb.positiveCounts()));
        assertEquals(expected(negative, nb.schema()), buckets(nb.negativeIndexes(), nb.negativeCounts()));
        assertEquals(all.stream().filter(v -> v <= 0.01).count(), p.cumulativeCounts()[0]);
        assertEquals(all.stream().filter(v -> v <= 100).count(), p.cumulativeCounts()[2]);
    }
}
