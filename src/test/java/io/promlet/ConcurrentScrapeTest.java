package io.promlet;

import io.promlet.model.CounterMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.MetricFamily;
import io.promlet.model.SummaryMetricFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writers into counters, histograms and summaries and a scraper race; every scrape must be internally consistent and the final totals exact. */
class ConcurrentScrapeTest {
    private static final int WRITERS = 4;
    private static final int OPS = 200_000;

    @Test
    void scrapesStayConsistentWhileThreadsRecord() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        Counter counter = Counter.builder().name("ops_total").help("Ops.").labelNames("worker").register(registry);
        Histogram histogram = Histogram.builder().name("op_seconds").help("Op time.").labelNames("worker")
                .buckets(0.1, 0.2, 0.5, 1).register(registry);
        Summary summary = Summary.builder().name("op_latency_seconds").help("Op latency.").labelNames("worker")
                .quantile(0.5).quantile(0.9).quantile(0.99).register(registry);

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String worker = "w" + (w % 2);
            writers.add(pool.submit(() -> {
                start.await();
                Counter.Child c = counter.labels(worker);
                for (int i = 0; i < OPS; i++) {
                    c.inc();
                    histogram.labels(worker).observe((i % 12) / 10.0);
                    summary.labels(worker).observe((i % 12) / 10.0);
                }
                return null;
            }));
        }
        Future<Integer> scraper = pool.submit(() -> {
            start.await();
            int scrapes = 0;
            do {
                assertConsistent(registry.collect());
                scrapes++;
            } while (writing.get());
            return scrapes;
        });
        start.countDown();
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        writing.set(false);
        assertTrue(scraper.get(60, TimeUnit.SECONDS) > 0);
        pool.shutdown();

        double expectedSum = 0;
        long expectedLe01 = 0;
        long expectedLe1 = 0;
        for (int i = 0; i < OPS; i++) {
            double v = (i % 12) / 10.0;
            expectedSum += v;
            expectedLe01 += v <= 0.1 ? 1 : 0;
            expectedLe1 += v <= 1 ? 1 : 0;
        }
        for (String worker : List.of("w0", "w1")) {
            String[] names = {"worker"};
            String[] values = {worker};
            assertEquals(2.0 * OPS, registry.getSampleValue("ops_total", names, values));
            assertEquals(2.0 * OPS, registry.getSampleValue("op_seconds_count", names, values));
            assertEquals(2 * expectedSum, registry.getSampleValue("op_seconds_sum", names, values), 1e-6);
            assertEquals(2.0 * OPS, registry.getSampleValue("op_latency_seconds_count", names, values));
            assertEquals(2 * expectedSum, registry.getSampleValue("op_latency_seconds_sum", names, values), 1e-6);
            assertEquals(2.0 * expectedLe01, registry.getSampleValue("op_seconds_bucket",
                    new String[] {"worker", "le"}, new String[] {worker, "0.1"}));
            assertEquals(2.0 * expectedLe1, registry.getSampleValue("op_seconds_bucket",
                    new String[] {"worker", "le"}, new String[] {worker, "1.0"}));
            Double median = registry.getSampleValue("op_latency_seconds", new String[] {"worker", "quantile"},
                    new String[] {worker, "0.5"});
            assertEquals(0.5, median, 0.5 * 0.005, "the median of every recorded value");
        }
        assertConsistent(registry.collect());
    }

    private static void assertConsistent(List<MetricFamily> families) {
        for (MetricFamily family : families) {
            if (family instanceof HistogramMetricFamily h) {
                for (HistogramMetricFamily.Point p : h.points()) {
                    long[] counts = p.cumulativeCounts();
                    for (int i = 1; i < counts.length; i++) {
                        assertTrue(counts[i] >= counts[i - 1], "buckets not cumulative: " + Arrays.toString(counts));
                    }
                    assertEquals(counts[counts.length - 1], p.count());
                }
            } else if (family instanceof SummaryMetricFamily s) {
                for (SummaryMetricFamily.Point p : s.points()) {
                    assertTrue(p.count() <= 2L * OPS);
                    double[] v = p.values();
                    // A scrape between a child's creation (or its count's increment) and the first value reaching
                    // its window sees an empty window: every quantile NaN. Otherwise none may be.
                    if (Arrays.stream(v).allMatch(Double::isNaN)) {
                        continue;
                    }
                    for (int i = 1; i < v.length; i++) {
                        assertTrue(v[i] >= v[i - 1], "quantiles not monotonic: " + Arrays.toString(v));
                    }
                }
            } else if (family instanceof CounterMetricFamily c) {
                c.points().forEach(p -> assertTrue(p.value() >= 0 && p.value() <= 2.0 * OPS));
            }
        }
    }
}
