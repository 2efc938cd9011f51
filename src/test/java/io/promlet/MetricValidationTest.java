package io.promlet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricValidationTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    private static void assertRejected(String expectedInMessage, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void rejectsInvalidMetricAndLabelNames() {
        assertRejected("1bad", () -> Counter.builder().name("1bad").help("h").register(registry));
        assertRejected("bad-name", () -> Gauge.builder().name("bad-name").help("h").register(registry));
        assertRejected("__reserved", () -> Gauge.builder().name("g").help("h").labelNames("__reserved").register(registry));
        assertRejected("a:b", () -> Gauge.builder().name("g").help("h").labelNames("a:b").register(registry));
        assertRejected("path", () -> Gauge.builder().name("g").help("h").labelNames("path", "path").register(registry));
        assertRejected("le", () -> Histogram.builder().name("h").help("h").labelNames("le").register(registry));
        assertRejected("g", () -> Gauge.builder().name("g").register(registry));
    }

    @Test
    void rejectsBadBuckets() {
        assertRejected("empty", () -> Histogram.builder().name("h").help("h").buckets().register(registry));
        assertRejected("follows", () -> Histogram.builder().name("h").help("h").buckets(1, 3, 2).register(registry));
        assertRejected("follows", () -> Histogram.builder().name("h").help("h").buckets(1, 1).register(registry));
        assertRejected("NaN", () -> Histogram.builder().name("h").help("h").buckets(Double.NaN).register(registry));
    }

    @Test
    void rejectsBadStateSets() {
        assertRejected("at least one", () -> StateSet.builder().name("s").help("h").register(registry));
        assertRejected("twice", () -> StateSet.builder().name("s").help("h").states("a", "a").register(registry));
        StateSet s = StateSet.builder().name("s").help("h").states("a", "b").register(registry);
        assertRejected("\"c\"", () -> s.state("c"));
    }

    @Test
    void rejectsBadInfo() {
        Info info = Info.builder().name("build").help("h").labelNames("env").register(registry);
        assertRejected("env", () -> info.labels("prod").info("env", "x"));
        assertRejected("odd", () -> info.labels("prod").info("version"));
        assertRejected("bad-name", () -> info.labels("prod").info("bad-name", "x"));
    }
}
