package io.promlet;

import io.promlet.exposition.OpenMetricsFormat;
import io.promlet.exposition.TextFormat;
import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;
import io.promlet.tools.LogCapture;
import io.promlet.tools.RealParsers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 24: every labelled metric keeps at most its cardinality limit of children, and totals stay exact. */
class CardinalityLimitTest {
    private static final String[] USER = {"user"};
    private static final String[] OTHER = {"OTHER"};

    private final CollectorRegistry registry = new CollectorRegistry();

    private static int children(Collector metric) {
        return ((MetricFamily) metric.collect().get(0)).points().size();
    }

    private double overflowed(String metric) {
        Double count = registry.getSampleValue("promlet_cardinality_overflow_total", new String[] {"metric"}, new String[] {metric});
        return count == null ? 0 : count;
    }

    @Test
    void aMillionUserIdsKeepTheDefaultLimitExactTotalsAValidBoundedScrapeAndOneWarning() {
        Counter logins = Counter.builder().name("logins_total").help("Logins.").labelNames("user").register(registry);
        int n = 1_000_000;
        List<String> warnings;
        try (LogCapture log = LogCapture.of("io.promlet.Metric")) {
            for (int i = 0; i < n; i++) {
                logins.labels("u" + i).inc();
            }
            warnings = log.messages();
        }
        assertEquals(CollectorRegistry.DEFAULT_CARDINALITY_LIMIT, children(logins), "children at the limit, no more");
        double total = 0;
        for (Sample s : ((MetricFamily) logins.collect().get(0)).samples()) {
            total += s.name().equals("logins_total") ? s.value() : 0;
        }
        assertEquals(n, total, "every increment counted");
        // 1999 users have children of their own; the last place is the overflow child's.
        double folded = n - (CollectorRegistry.DEFAULT_CARDINALITY_LIMIT - 1);
        assertEquals(folded, registry.getSampleValue("logins_total", USER, OTHER));
        assertEquals(1.0, registry.getSampleValue("logins_total", USER, new String[] {"u1998"}));
        assertNull(registry.getSampleValue("logins_total", USER, new String[] {"u1999"}));
        assertEquals(folded, overflowed("logins"), "every overflowed label set counted (metric: the family name)");
        assertEquals(1, warnings.size(), warnings.toString());

        String text = TextFormat.generateLatest(registry);
        assertTrue(text.length() < 100_000, "the scrape is bounded: " + text.length() + " characters");
        assertTrue(text.contains("promlet_cardinality_overflow_total{metric=\"logins\"} " + folded), text);
        RealParsers.assertValidText(text);
        RealParsers.assertValidOpenMetrics(OpenMetricsFormat.generateLatest(registry));
    }

    @Test
    void theWarningNamesTheMetricAndTheLimit() {
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").cardinalityLimit(2).register(registry);
        try (LogCapture log = LogCapture.of("io.promlet.Metric")) {
            c.labels("a").inc();
            c.labels("b").inc();
            c.labels("c").inc();
            assertEquals(1, log.records().size());
            String message = java.text.MessageFormat.format(log.records().get(0).getMessage(), log.records().get(0).getParameters());
            assertTrue(message.contains("Metric c ") && message.contains("limit of 2 ") && message.contains("[b]"), message);
        }
    }

    @Test
    void everyLabelledMetricTypeFoldsIntoOneOverflowChildAndKeepsItsTotals() {
        Gauge gauge = Gauge.builder().name("g").help("G.").labelNames("a", "b").cardinalityLimit(3).register(registry);
        Histogram histogram = Histogram.builder().name("h").help("H.").labelNames("a").buckets(1, 10)
                .cardinalityLimit(3).register(registry);
        Summary summary = Summary.builder().name("s").help("S.").labelNames("a").quantile(0.5)
                .cardinalityLimit(3).register(registry);
        Info info = Info.builder().name("build").help("B.").labelNames("a").cardinalityLimit(3).register(registry);
        StateSet state = StateSet.builder().name("st").help("St.").labelNames("a").states("on", "off")
                .cardinalityLimit(3).register(registry);
        for (int i = 0; i < 10; i++) {
            gauge.labels("x" + i, "y").inc();
            histogram.labels("x" + i).observe(i);
            summary.labels("x" + i).observe(i);
            info.labels("x" + i).info("version", "1");
            state.labels("x" + i).state("on");
        }
        for (Collector metric : List.of(gauge, histogram, summary, info, state)) {
            assertEquals(3, children(metric), metric.toString());
            assertEquals(8.0, overflowed(metric.toString()), metric.toString());
        }
        assertEquals(8.0, registry.getSampleValue("g", new String[] {"a", "b"}, new String[] {"OTHER", "OTHER"}));
        assertEquals(8.0, registry.getSampleValue("h_count", new String[] {"a"}, OTHER));
        assertEquals(2.0 + 3 + 4 + 5 + 6 + 7 + 8 + 9, registry.getSampleValue("h_sum", new String[] {"a"}, OTHER));
        assertEquals(8.0, registry.getSampleValue("h_bucket", new String[] {"a", "le"}, new String[] {"OTHER", "10.0"}));
        assertEquals(8.0, registry.getSampleValue("s_count", new String[] {"a"}, OTHER));
        assertEquals(1.0, registry.getSampleValue("st", new String[] {"a", "st"}, new String[] {"OTHER", "on"}));
        RealParsers.assertValidText(TextFormat.generateLatest(registry));
        RealParsers.assertValidOpenMetrics(OpenMetricsFormat.generateLatest(registry));
    }

    @Test
    void removeAndClearMakeRoomAgain() {
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").cardinalityLimit(3).register(registry);
        c.labels("a").inc();
        c.labels("b").inc();
        c.labels("c").inc();
        assertSame(c.labels("OTHER"), c.labels("d"), "full: the overflow child");
        c.remove("a");
        c.labels("e").inc();
        assertEquals(1.0, registry.getSampleValue("c_total", USER, new String[] {"e"}), "room again after remove");
        assertSame(c.labels("OTHER"), c.labels("f"));
        c.clear();
        for (String user : List.of("g", "h")) {
            c.labels(user).inc();
            assertEquals(1.0, registry.getSampleValue("c_total", USER, new String[] {user}), "room again after clear");
        }
        assertEquals(3.0, overflowed("c"), "c, d and f overflowed; the count is a counter and survives clear()");
    }

    @Test
    void theRegistryDefaultReachesMetricsRegisteredBeforeAndAfterAndABuilderLimitWins() {
        Counter before = Counter.builder().name("before_total").help("B.").labelNames("user").register(registry);
        registry.setCardinalityLimit(5);
        Counter after = Counter.builder().name("after_total").help("A.").labelNames("user").register(registry);
        Counter own = Counter.builder().name("own_total").help("O.").labelNames("user").cardinalityLimit(10)
                .register(registry);
        for (int i = 0; i < 100; i++) {
            before.labels("u" + i).inc();
            after.labels("u" + i).inc();
            own.labels("u" + i).inc();
        }
        assertEquals(5, registry.cardinalityLimit());
        assertEquals(5, children(before));
        assertEquals(5, children(after));
        assertEquals(10, children(own));
        assertThrows(IllegalArgumentException.class, () -> registry.setCardinalityLimit(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Counter.builder().name("x_total").help("X.").cardinalityLimit(0));
        assertTrue(e.getMessage().contains("x_total") && e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void integerMaxValueTurnsTheLimitOff() {
        registry.setCardinalityLimit(Integer.MAX_VALUE);
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").register(registry);
        Counter own = Counter.builder().name("own_total").help("O.").labelNames("user").cardinalityLimit(Integer.MAX_VALUE)
                .register(new CollectorRegistry());
        for (int i = 0; i < 5000; i++) {
            c.labels("u" + i).inc();
            own.labels("u" + i).inc();
        }
        assertEquals(5000, children(c));
        assertEquals(5000, children(own));
        assertNull(registry.getSampleValue("promlet_cardinality_overflow_total", USER, new String[] {"c"}));
    }

    @Test
    void theOverflowCountShowsOnlyOnceAMetricOverflowsAndItsNameIsTaken() {
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").cardinalityLimit(2).register(registry);
        c.labels("a").inc();
        assertFalse(TextFormat.generateLatest(registry).contains("promlet_cardinality_overflow"));
        c.labels("b").inc();
        c.labels("b").inc();
        assertEquals(2.0, overflowed("c"), "each lookup of a label set without a child counts");
        assertThrows(IllegalArgumentException.class, () -> Counter.builder().name("promlet_cardinality_overflow_total")
                .help("Mine.").register(registry));
        registry.unregister(c);
        CollectorRegistry other = new CollectorRegistry();
        other.register(c);
        c.labels("d").inc();
        assertEquals(1.0, other.getSampleValue("promlet_cardinality_overflow_total", new String[] {"metric"},
                new String[] {"c"}), "the registry it was registered with last shows the count");
    }

    @Test
    void aCollectorThatTookTheOverflowCountsNameLeavesTheOverflowingMetricWorking() {
        Counter.builder().name("promlet_cardinality_overflow_total").help("Mine.").register(registry);
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").cardinalityLimit(1).register(registry);
        try (LogCapture log = LogCapture.of("io.promlet.CollectorRegistry")) {
            c.labels("a").inc();
            assertTrue(log.messages().get(0).contains("cannot be shown"), log.messages().toString());
        }
        c.labels("b").inc();
        assertEquals(2.0, registry.getSampleValue("c_total", USER, OTHER));
        assertEquals(0.0, registry.getSampleValue("promlet_cardinality_overflow_total"), "the user's counter is left alone");
    }

    @Test
    void valuesPastTheLimitAreStillChecked() {
        Counter c = Counter.builder().name("c_total").help("C.").labelNames("user").cardinalityLimit(1).register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.labels("ab\uD83D"));
        assertTrue(e.getMessage().contains("metric c:"), e.getMessage());
        assertThrows(NullPointerException.class, () -> c.labels((String) null));
        c.labels("a").inc();
        assertEquals(1, children(c), "a limit of 1 leaves only the overflow child");
    }
}
