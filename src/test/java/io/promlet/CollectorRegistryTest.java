package io.promlet;

import io.promlet.exposition.OpenMetricsFormat;
import io.promlet.exposition.TextFormat;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;
import io.promlet.tools.BrokenCollectors;
import io.promlet.tools.LogCapture;
import io.promlet.tools.RealParsers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectorRegistryTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void rejectsClashingSampleNamesNamingBothMetrics() {
        Counter.builder().name("c").help("h").register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gauge.builder().name("c_total").help("h").register(registry));
        assertTrue(e.getMessage().contains("c_total") && e.getMessage().contains("clashes with c"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name("c_created").help("h").register(registry));

        Histogram.builder().name("h").help("h").register(registry);
        for (String taken : List.of("h", "h_bucket", "h_count", "h_sum", "h_created")) {
            assertThrows(IllegalArgumentException.class, () -> Gauge.builder().name(taken).help("h").register(registry), taken);
        }
        Gauge.builder().name("c").help("a gauge may use the counter's family name").register(registry);
    }

    @Test
    void unregisterFreesTheNames() {
        Counter c = Counter.builder().name("c").help("h").register(registry);
        registry.unregister(c);
        assertNull(registry.getSampleValue("c_total"));
        Gauge.builder().name("c_total").help("h").register(registry);
        assertEquals(0.0, registry.getSampleValue("c_total"));
    }

    @Test
    void rejectsRegisteringTheSameCollectorTwice() {
        Counter c = Counter.builder().name("c").help("h").register(registry);
        assertThrows(IllegalArgumentException.class, () -> registry.register(c));
    }

    @Test
    void registerAllAddsEveryCollectorOrNone() {
        Counter taken = Counter.builder().name("taken").help("h").register(registry);
        CollectorRegistry elsewhere = new CollectorRegistry();
        Counter first = Counter.builder().name("first").help("h").register(elsewhere);
        Counter clash = Counter.builder().name("taken").help("h").register(elsewhere);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.registerAll(List.of(first, clash)));
        assertTrue(e.getMessage().contains("taken"), e.getMessage());
        assertNull(registry.getSampleValue("first_total"), "the collector added before the clash is removed again");

        registry.unregister(taken);
        registry.registerAll(List.of(first, clash));
        assertEquals(0.0, registry.getSampleValue("first_total"));
        assertEquals(0.0, registry.getSampleValue("taken_total"));
    }

    @Test
    void customCollectorIsCollectedOnEveryScrape() {
        AtomicInteger calls = new AtomicInteger();
        registry.register(() -> {
            GaugeMetricFamily g = new GaugeMetricFamily("cache_entries", "Entries.", List.of("cache"));
            g.addMetric(List.of("users"), calls.incrementAndGet());
            return List.of(g);
        });
        assertEquals(2.0, registry.getSampleValue("cache_entries", new String[] {"cache"}, new String[] {"users"}));
        assertEquals(3.0, registry.getSampleValue("cache_entries", new String[] {"cache"}, new String[] {"users"}));
    }

    @Test
    void filteredViewCollectsOnlyMatchingCollectorsAndSamples() {
        AtomicInteger otherCalls = new AtomicInteger();
        Histogram h = Histogram.builder().name("h").help("h").buckets(1).register(registry);
        h.observe(0.5);
        registry.register(() -> {
            otherCalls.incrementAndGet();
            return List.of(new GaugeMetricFamily("other", "h", List.of()).addMetric(List.of(), 1));
        });
        int before = otherCalls.get();
        List<MetricFamily> families = registry.filteredBy(List.of("h_count")).collect();
        assertEquals(before, otherCalls.get());
        assertEquals(1, families.size());
        assertEquals(List.of("h_count"), families.get(0).samples().stream().map(s -> s.name()).distinct().toList());
        assertEquals(List.of(), registry.filteredBy(List.of("nothing")).collect());
    }

    @Test
    void collectorThatThrowsMakesCollectThrow() {
        registry.register(new Collector() {
            private boolean registered;

            @Override
            public List<MetricFamily> collect() {
                if (registered) {
                    throw new IllegalStateException("backend down");
                }
                registered = true;
                return List.of();
            }
        });
        assertThrows(IllegalStateException.class, registry::collect);
    }

    @Test
    void defaultRegistryIsASingleton() {
        assertTrue(CollectorRegistry.defaultRegistry() == CollectorRegistry.defaultRegistry());
    }

    @Test
    void aCollectorWithNoFamiliesAtRegistrationIsCollectedOnFilteredScrapesWhenItHasSome() {
        List<MetricFamily> later = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.register(() -> later);
        Counter.builder().name("other").help("h").register(registry);
        GaugeMetricFamily gauge = new GaugeMetricFamily("late_gauge", "Appears after registration.", List.of());
        gauge.addMetric(List.of(), 7);
        later.add(gauge);

        assertEquals(7.0, registry.getSampleValue("late_gauge"));
        List<MetricFamily> filtered = registry.filteredBy(List.of("late_gauge")).collect();
        assertEquals(1, filtered.size());
        assertEquals("late_gauge", filtered.get(0).name());
        assertTrue(registry.filteredBy(List.of("other_total")).collect().stream().noneMatch(f -> f.name().equals("late_gauge")));
    }

    @Test
    void aCollectorThatDeclaresItsNamesUnknownReservesNoneAndIsCollectedOnFilteredScrapes() {
        AtomicInteger calls = new AtomicInteger();
        registry.register(gauge("remote_value", 3, false, calls));
        assertEquals(0, calls.get(), "not collected at registration");
        assertEquals(3.0, registry.getSampleValue("remote_value"));
        assertEquals(1, registry.filteredBy(List.of("remote_value")).collect().size());
    }

    /** Issue 13: two collectors that pass registration and then show the same name: the first wins, once logged. */
    @Test
    void aFamilyClashingAtScrapeTimeIsLeftOutWithOneWarning() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(jobsCounter(1));
        registry.register(jobsCounter(2));
        Gauge.builder().name("queue_size").help("Queue.").register(registry).set(7);
        try (LogCapture log = LogCapture.of(CollectorRegistry.class.getName())) {
            String text = TextFormat.generateLatest(registry);
            String openMetrics = OpenMetricsFormat.generateLatest(registry);
            RealParsers.assertValidText(text);
            RealParsers.assertValidOpenMetrics(openMetrics);
            assertTrue(text.contains("jobs_total 1.0\n") && !text.contains("jobs_total 2.0") && text.contains("queue_size 7.0"),
                    text);
            assertTrue(openMetrics.contains("jobs_total 1.0\n") && !openMetrics.contains("jobs_total 2.0"), openMetrics);
            assertEquals(1.0, registry.getSampleValue("jobs_total"));
            String filtered = TextFormat.generateLatest(registry.filteredBy(List.of("jobs_total")));
            assertEquals(1, filtered.split("# HELP", -1).length - 1, filtered);
            assertEquals(1, log.records().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains("jobs_total"), log.messages().toString());
        }
    }

    @Test
    void aNullFamilyFailsTheCollectionNamingTheCollector() {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(BrokenCollectors.nullFamilyAfter(100));
        IllegalStateException e = assertThrows(IllegalStateException.class, registry::collect);
        assertTrue(e.getMessage().contains("broken collector") && e.getMessage().contains("null"), e.getMessage());
    }

    /** A collector whose names are known only at scrape time, showing a counter jobs_total with this value. */
    private static Collector jobsCounter(double value) {
        return new Collector() {
            @Override
            public List<MetricFamily> collect() {
                return List.of(new CounterMetricFamily("jobs", "Jobs.", List.of()).addMetric(List.of(), value));
            }

            @Override
            public boolean sampleNamesKnown() {
                return false;
            }
        };
    }

    @Test
    void collectLazilyCollectsEachCollectorWhenTheIterationReachesIt() {
        Counter.builder().name("first").help("h").register(registry).inc();
        AtomicInteger secondCollected = new AtomicInteger();
        registry.register(gauge("second", 2, true, secondCollected));
        secondCollected.set(0);

        Iterator<MetricFamily> scrape = registry.collectLazily().iterator();
        assertEquals("first", scrape.next().name());
        assertEquals(0, secondCollected.get(), "collected before the writer reached it");
        assertEquals("second", scrape.next().name());
        assertEquals(1, secondCollected.get());
        assertFalse(scrape.hasNext());
        assertThrows(NoSuchElementException.class, scrape::next);

        assertEquals(names(registry.collect()), names(registry.collectLazily()));
        assertEquals(names(registry.filteredBy(List.of("second")).collect()),
                names(registry.collectLazily(List.of("second"))));
        assertEquals(List.of("second"), names(registry.collectLazily(List.of("second"))));
        assertEquals(List.of(), names(registry.collectLazily(List.of("no_such_sample"))));
    }

    @Test
    void eachLazyIterationIsAScrapeOfItsOwnAndACollectorFailingInItThrowsFromHasNext() {
        Iterable<MetricFamily> lazily = registry.collectLazily();
        registry.register(gauge("late", 1, false, new AtomicInteger()));
        registry.register(gauge("late", 1, false, new AtomicInteger()));
        // Both show "late" only at scrape time: each iteration shows it once, as collect() does.
        assertEquals(List.of("late"), names(lazily));
        assertEquals(List.of("late"), names(lazily));

        registry.register(BrokenCollectors.missingClass());
        Iterator<MetricFamily> scrape = registry.collectLazily().iterator();
        assertEquals("late", scrape.next().name());
        assertThrows(NoClassDefFoundError.class, scrape::hasNext);
    }

    /** A collector of one gauge without labels that counts its collections; its names are known at registration or not. */
    private static Collector gauge(String name, double value, boolean namesKnown, AtomicInteger collections) {
        return new Collector() {
            @Override
            public List<MetricFamily> collect() {
                collections.incrementAndGet();
                GaugeMetricFamily g = new GaugeMetricFamily(name, "A gauge.", List.of());
                g.addMetric(List.of(), value);
                return List.of(g);
            }

            @Override
            public boolean sampleNamesKnown() {
                return namesKnown;
            }
        };
    }

    private static List<String> names(Iterable<MetricFamily> families) {
        List<String> names = new ArrayList<>();
        families.forEach(f -> names.add(f.name()));
        return names;
    }
}
