package io.promlet;

import io.promlet.model.HistogramMetricFamily;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    private static HistogramMetricFamily.Point point(Histogram h) {
        return ((HistogramMetricFamily) h.collect().get(0)).points().get(0);
    }

    @Test
    void defaultBucketsEndInInf() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").register(registry);
        assertArrayEquals(new double[] {.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10, Double.POSITIVE_INFINITY},
                point(h).upperBounds());
    }

    @Test
    void defaultBucketsCannotBeChangedByACaller() {
        assertThrows(UnsupportedOperationException.class, () -> Histogram.DEFAULT_BUCKETS.set(0, 42.0));
        Histogram h = Histogram.builder().name("later_seconds").help("Later.").register(registry);
        assertEquals(.005, point(h).upperBounds()[0]);
    }

    @Test
    void countsCumulativelyWithBoundsInclusive() {
        Histogram h = Histogram.builder().name("job_duration_seconds").help("Jobs.").labelNames("job_name")
                .buckets(1, 2, 3, 10, 20, 50, 100).register(registry);
        for (double v : new double[] {0.5, 1, 1.5, 4.7, 100, 1000}) {
            h.labels("test_job").observe(v);
        }
        HistogramMetricFamily.Point p = point(h);
        assertArrayEquals(new double[] {1, 2, 3, 10, 20, 50, 100, Double.POSITIVE_INFINITY}, p.upperBounds());
        assertArrayEquals(new long[] {2, 3, 3, 4, 4, 4, 5, 6}, p.cumulativeCounts());
        assertEquals(6, p.count());
        assertEquals(1107.7, p.sum(), 1e-9);
        assertEquals(2.0, registry.getSampleValue("job_duration_seconds_bucket",
                new String[] {"job_name", "le"}, new String[] {"test_job", "1.0"}));
        assertEquals(6.0, registry.getSampleValue("job_duration_seconds_count", new String[] {"job_name"}, new String[] {"test_job"}));
    }

    @Test
    void manyBucketsUseBinarySearchWithTheSameResult() {
        Histogram h = Histogram.builder().name("size_bytes").help("Sizes.").exponentialBuckets(1, 2, 30).register(registry);
        h.observe(1);
        h.observe(3);
        h.observe(1L << 40);
        long[] counts = point(h).cumulativeCounts();
        assertEquals(1, counts[0]);
        assertEquals(1, counts[1]);
        assertEquals(2, counts[2]);
        assertEquals(2, counts[29]);
        assertEquals(3, counts[30]);
    }

    @Test
    void bucketHelpers() {
        assertArrayEquals(new double[] {1, 3, 5}, Histogram.linearBuckets(1, 2, 3));
        assertArrayEquals(new double[] {1, 10, 100}, Histogram.exponentialBuckets(1, 10, 3), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Histogram.linearBuckets(0, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Histogram.exponentialBuckets(0, 2, 3));
    }

    @Test
    void negativeBucketsHideTheSum() {
        Histogram h = Histogram.builder().name("temperature_celsius").help("T.").buckets(-10, 0, 10).register(registry);
        h.observe(-5);
        assertFalse(point(h).hasSum());
        assertNull(registry.getSampleValue("temperature_celsius_sum"));
    }

    @Test
    void rejectsNaN() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.observe(Double.NaN));
        assertTrue(e.getMessage().contains("latency_seconds") && e.getMessage().contains("NaN"));
        assertEquals(0, point(h).count());
    }

    @Test
    void timeObservesEvenWhenTheWorkThrows() {
        Histogram h = Histogram.builder().name("work_seconds").help("Work.").register(registry);
        assertEquals("done", h.time(() -> "done"));
        assertThrows(IOException.class, () -> h.time(() -> {
            throw new IOException("failed");
        }));
        try (Timer t = h.startTimer()) {
            assertTrue(t.observeDuration() >= 0);
        }
        assertEquals(3, point(h).count());
    }

    @Test
    void exemplarPerBucket() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").buckets(1, 2).register(registry);
        h.observe(0.5, Map.of("trace_id", "a"));
        h.observe(1.5, Map.of("trace_id", "b"));
        h.observe(1.7);
        HistogramMetricFamily.Point p = point(h);
        assertEquals("a", p.exemplars()[0].labels().get("trace_id"));
        assertEquals(1.5, p.exemplars()[1].value());
        assertNull(p.exemplars()[2]);
    }
}
