package io.promlet;

import io.promlet.internal.QuantileAccuracyTest;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.MetricType;
import io.promlet.model.Sample;
import io.promlet.model.SummaryMetricFamily;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {
    private static final String[] QUANTILE = {"quantile"};

    private final CollectorRegistry registry = new CollectorRegistry();

    private Summary.Builder latency() {
        return Summary.builder().name("latency_seconds").help("Latency.");
    }

    private double sample(String name) {
        return registry.getSampleValue(name);
    }

    private double quantile(String q) {
        return registry.getSampleValue("latency_seconds", QUANTILE, new String[] {q});
    }

    @Test
    void countsAndSums() {
        Summary s = latency().register(registry);
        s.observe(1);
        s.observe(2);
        s.observe(3.5);
        s.observe(-0.5);

        assertEquals(4, sample("latency_seconds_count"));
        assertEquals(6, sample("latency_seconds_sum"));
    }

    @Test
    void withoutQuantilesExposesOnlyCountSumAndCreated() {
        Summary s = latency().register(registry);
        s.observe(4.7);

        SummaryMetricFamily family = (SummaryMetricFamily) s.collect().get(0);
        assertEquals(MetricType.SUMMARY, family.type());
        SummaryMetricFamily.Point point = family.points().get(0);
        assertEquals(0, point.quantiles().length);
        assertEquals(0, point.values().length);
        assertEquals(List.of("latency_seconds_count", "latency_seconds_sum", "latency_seconds_created"),
                family.samples().stream().map(Sample::name).toList());
    }

    @Test
    void snapshotHasQuantilesAscendingWithTheirValues() {
        Summary s = latency().quantile(0.99).quantile(0.5).register(registry);
        for (int i = 1; i <= 100; i++) {
            s.observe(i);
        }

        SummaryMetricFamily.Point point = ((SummaryMetricFamily) s.collect().get(0)).points().get(0);
        assertEquals(Labels.EMPTY, point.labels());
        assertEquals(100, point.count());
        assertEquals(5050, point.sum());
        assertArrayEquals(new double[] {0.5, 0.99}, point.quantiles());
        assertEquals(50, point.values()[0], 50 * 0.005);
        assertEquals(99, point.values()[1], 99 * 0.005);
        double now = System.currentTimeMillis() / 1000.0;
        assertTrue(point.created() > now - 60 && point.created() <= now, "created " + point.created());

        assertEquals(50, quantile("0.5"), 50 * 0.005);
        assertEquals(99, quantile("0.99"), 99 * 0.005);
    }

    @Test
    void quantilesAreNanWhileTheWindowIsEmpty() {
        latency().quantile(0.5).register(registry);

        assertTrue(Double.isNaN(quantile("0.5")));
        assertEquals(0, sample("latency_seconds_count"));
    }

    @Test
    void labelledChildrenAreSeparate() {
        Summary s = latency().quantile(0.5).labelNames("path").register(registry);
        s.labels("/").observe(0.2);
        s.labels("/").observe(0.4);
        s.labels("/admin").observe(7);

        String[] path = {"path"};
        assertEquals(2, registry.getSampleValue("latency_seconds_count", path, new String[] {"/"}));
        assertEquals(0.6, registry.getSampleValue("latency_seconds_sum", path, new String[] {"/"}), 1e-12);
        assertEquals(1, registry.getSampleValue("latency_seconds_count", path, new String[] {"/admin"}));
        assertEquals(7, registry.getSampleValue("latency_seconds", new String[] {"path", "quantile"},
                new String[] {"/admin", "0.5"}), 7 * 0.005);
        assertThrows(IllegalArgumentException.class, () -> s.observe(1));
    }

    @Test
    void timesRunnableWork() {
        Summary s = latency().register(registry);
        s.time(SummaryTest::spinOneMillisecond);

        assertEquals(1, sample("latency_seconds_count"));
        assertTrue(sample("latency_seconds_sum") >= 0.001, "sum " + sample("latency_seconds_sum"));
    }

    @Test
    void timesCallableWorkAndReturnsItsResult() {
        Summary s = latency().register(registry);
        String result = s.labels().time(() -> {
            spinOneMillisecond();
            return "done";
        });

        assertEquals("done", result);
        assertEquals(1, sample("latency_seconds_count"));
        assertTrue(sample("latency_seconds_sum") >= 0.001, "sum " + sample("latency_seconds_sum"));
    }

    @Test
    void timingRethrowsTheCheckedExceptionUnchangedAndStillObserves() {
        Summary s = latency().register(registry);
        IOException failure = new IOException("disk gone");

        IOException thrown = assertThrows(IOException.class, () -> s.time(() -> {
            throw failure;
        }));
        IOException thrownByRunnable = assertThrows(IOException.class, () -> s.time(() -> rethrow(failure)));

        assertSame(failure, thrown);
        assertSame(failure, thrownByRunnable);
        assertEquals(2, sample("latency_seconds_count"));
    }

    @Test
    void timerObservesTheElapsedSecondsOnce() {
        Summary s = latency().register(registry);
        double elapsed;
        try (Timer t = s.startTimer()) {
            spinOneMillisecond();
            elapsed = t.observeDuration();
        }

        assertTrue(elapsed >= 0.001, "elapsed " + elapsed);
        assertEquals(1, sample("latency_seconds_count"));
        assertEquals(elapsed, sample("latency_seconds_sum"));
    }

    @Test
    void rejectsNan() {
        Summary s = latency().register(registry);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.observe(Double.NaN));
        assertTrue(e.getMessage().contains("latency_seconds") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(0, sample("latency_seconds_count"));
    }

    @Test
    void rejectsQuantilesOutsideTheOpenUnitIntervalAndDuplicates() {
        for (double q : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> latency().quantile(q).register(registry));
            assertTrue(e.getMessage().contains("latency_seconds") && e.getMessage().contains(Double.toString(q)),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> latency().quantile(0.9).quantile(0.5).quantile(0.9).register(registry));
        assertTrue(e.getMessage().contains("latency_seconds") && e.getMessage().contains("0.9"), e.getMessage());
        assertNull(registry.getSampleValue("latency_seconds_count"));
    }

    @Test
    void rejectsQuantileLabelAndBadWindows() {
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> latency().labelNames("quantile").register(registry));
        assertTrue(label.getMessage().contains("quantile"), label.getMessage());

        IllegalArgumentException maxAge = assertThrows(IllegalArgumentException.class,
                () -> latency().maxAgeSeconds(0).register(registry));
        assertTrue(maxAge.getMessage().contains("latency_seconds") && maxAge.getMessage().contains("0"));
        IllegalArgumentException buckets = assertThrows(IllegalArgumentException.class,
                () -> latency().ageBuckets(-1).register(registry));
        assertTrue(buckets.getMessage().contains("latency_seconds") && buckets.getMessage().contains("-1"));
    }

    @Test
    void windowFollowsMaxAgeAndAgeBuckets() {
        AtomicLong nanos = new AtomicLong();
        Summary s = latency().quantile(0.5).maxAgeSeconds(10).ageBuckets(2).nanoClock(nanos::get).register(registry);
        s.observe(5);

        nanos.set(TimeUnit.SECONDS.toNanos(10) - 1);
        assertEquals(5, quantile("0.5"), 5 * 0.005);
        nanos.set(TimeUnit.SECONDS.toNanos(10));
        assertTrue(Double.isNaN(quantile("0.5")));
        assertEquals(1, sample("latency_seconds_count"), "count and sum are not windowed");
        assertEquals(5, sample("latency_seconds_sum"));
    }

    @Test
    void familyCarriesNameHelpAndUnit() {
        Summary s = Summary.builder().name("request_size").unit("bytes").help("Sizes.").register(registry);
        s.observe(10);

        MetricFamily family = s.collect().get(0);
        assertEquals("request_size_bytes", family.name());
        assertEquals("Sizes.", family.help());
        assertEquals(1, registry.getSampleValue("request_size_bytes_count"));
    }

    @Test
    void concurrentObservationsAreAllCountedAndQuantilesStayWithinBound() throws InterruptedException {
        Summary.Builder builder = latency();
        for (double q : QuantileAccuracyTest.QUANTILES) {
            builder.quantile(q);
        }
        Summary s = builder.register(registry);
        int threads = 4;
        int perThread = 250_000;
        double[] all = new double[threads * perThread];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            int offset = t * perThread;
            workers.add(new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    all[offset + i] = Math.exp(random.nextDouble(-7, 3));
                    s.observe(all[offset + i]);
                }
            }));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        SummaryMetricFamily.Point point = ((SummaryMetricFamily) s.collect().get(0)).points().get(0);
        assertEquals(threads * perThread, point.count());
        assertEquals(Arrays.stream(all).sum(), point.sum(), 1e-9 * point.sum());
        QuantileAccuracyTest.assertQuantilesWithinBound(all, point.values());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(IOException e) throws IOException {
        throw e;
    }

    /** Busy-waits so the work takes a known minimum time without sleeping. */
    private static void spinOneMillisecond() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
