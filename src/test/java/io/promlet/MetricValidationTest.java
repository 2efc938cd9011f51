package io.promlet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aNullLabelNameIsRefusedNamingTheMetric() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Counter.builder().name("jobs").help("h").labelNames("queue", null).register(registry));
        assertTrue(e.getMessage() != null && e.getMessage().contains("jobs") && e.getMessage().contains("label name"),
                String.valueOf(e.getMessage()));
    }

    @Test
    void labelValuesWithAnUnpairedSurrogateAreRefusedNamingTheMetric() {
        Counter c = Counter.builder().name("requests").help("h").labelNames("path").register(registry);
        // What cutting "ab" followed by an emoji after three chars gives: with different emoji, different values.
        assertRejected("metric requests: label path: value \"ab\\uD83C\"", () -> c.labels("ab\uD83C"));
        assertRejected("\"ab\\uD83D\"", () -> c.labels("ab\uD83D"));
        assertRejected("\"ab\\uD83D\"", () -> c.labels(new String[] {"ab\uD83D"}));
        c.labels("ab?").inc();
        c.labels("ab\uD83D\uDE00").inc();
        assertEquals(1.0, registry.getSampleValue("requests_total", new String[] {"path"}, new String[] {"ab\uD83D\uDE00"}));
        assertEquals(1.0, registry.getSampleValue("requests_total", new String[] {"path"}, new String[] {"ab?"}));
    }

    @Test
    void stateSetNamesMustBeLabelNamesAndStatesValidText() {
        assertRejected("task:state", () -> StateSet.builder().name("task:state").help("h").states("a").register(registry));
        assertRejected("\\uD83D", () -> StateSet.builder().name("task").help("h").states("a", "b\uD83D").register(registry));
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> StateSet.builder().name("task").help("h").states("a", null).register(registry));
        assertTrue(e.getMessage().contains("task"), e.getMessage());
    }

    @Test
    void infoRefusesNullsAndUnpairedSurrogatesNamingTheMetric() {
        Info info = Info.builder().name("build").help("h").register(registry);
        NullPointerException e = assertThrows(NullPointerException.class, () -> info.info("version", null));
        assertTrue(e.getMessage().contains("build") && e.getMessage().contains("version"), e.getMessage());
        assertRejected("info build: label version: value \"1.2\\uD83D\"", () -> info.info("version", "1.2\uD83D"));
    }
}
