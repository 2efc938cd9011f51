package io.promlet;

import io.promlet.model.CounterMetricFamily;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void incrementsLabelledChildren() {
        Counter requests = Counter.builder().name("requests_total").help("Requests.")
                .labelNames("path", "status").register(registry);
        requests.labels("/", "200").inc();
        requests.labels("/", "200").inc(2.5);
        requests.labels("/", "500").inc();

        assertEquals("requests", requests.name());
        assertEquals(3.5, registry.getSampleValue("requests_total", new String[] {"path", "status"}, new String[] {"/", "200"}));
        assertEquals(1.0, registry.getSampleValue("requests_total", new String[] {"path", "status"}, new String[] {"/", "500"}));
        assertNull(registry.getSampleValue("requests_total", new String[] {"path", "status"}, new String[] {"/", "404"}));
        assertSame(requests.labels("/", "200"), requests.labels(new String("/"), "200"));
    }

    @Test
    void unlabelledCounterStartsAtZeroAndExposesCreated() {
        Counter c = Counter.builder().name("jobs").help("Jobs.").register(registry);
        assertEquals(0.0, registry.getSampleValue("jobs_total"));
        c.inc();
        assertEquals(1.0, c.get());
        Double created = registry.getSampleValue("jobs_created");
        assertNotNull(created);
        assertTrue(Math.abs(created - System.currentTimeMillis() / 1000.0) < 60);
    }

    @Test
    void rejectsNegativeAndNaNIncrementsNamingTheMetricAndValue() {
        Counter c = Counter.builder().name("jobs_total").help("Jobs.").register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.inc(-1));
        assertTrue(e.getMessage().contains("jobs") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.inc(Double.NaN));
        assertEquals(0.0, c.get());
    }

    @Test
    void unitIsAppendedUnlessPresent() {
        Counter a = Counter.builder().name("cpu_total").unit("seconds").help("CPU.").register(registry);
        Counter b = Counter.builder().name("io_seconds_total").unit("seconds").help("IO.").register(registry);
        assertEquals("cpu_seconds", a.name());
        assertEquals("io_seconds", b.name());
        assertEquals(0.0, registry.getSampleValue("cpu_seconds_total"));
    }

    @Test
    void countExceptionsCountsAndRethrowsUnchanged() {
        Counter failures = Counter.builder().name("failures").help("Failures.").labelNames("path", "status").register(registry);
        Counter.Child child = failures.labels("/", "500");
        IOException thrown = new IOException("disk");
        IOException caught = assertThrows(IOException.class, () -> child.countExceptions(() -> {
            throw thrown;
        }));
        assertSame(thrown, caught);
        assertEquals(42, child.countExceptions(() -> 42));
        assertThrows(IllegalStateException.class, () -> child.countExceptions(IOException.class, () -> {
            throw new IllegalStateException();
        }));
        assertThrows(IOException.class, () -> child.countExceptions(IOException.class, () -> {
            throw new IOException();
        }));
        assertEquals(2.0, child.get());
    }

    @Test
    void exemplarIsKeptAndLimited() {
        Counter c = Counter.builder().name("orders").help("Orders.").register(registry);
        c.inc(2, Map.of("trace_id", "abc123"));
        CounterMetricFamily.Point p = ((CounterMetricFamily) c.collect().get(0)).points().get(0);
        assertEquals("abc123", p.exemplar().labels().get("trace_id"));
        assertEquals(2.0, p.exemplar().value());
        String tooLong = "x".repeat(121);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.inc(1, Map.of("trace_id", tooLong)));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
        assertEquals(2.0, c.get());
    }

    @Test
    void labelCountAndNullsAreCheckedWithClearMessages() {
        Counter c = Counter.builder().name("hits").help("Hits.").labelNames("path").register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.labels("a", "b"));
        assertTrue(e.getMessage().contains("hits") && e.getMessage().contains("[a, b]"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> c.labels((String) null));
        assertTrue(npe.getMessage().contains("hits") && npe.getMessage().contains("path"), npe.getMessage());
        assertThrows(IllegalArgumentException.class, c::inc);
    }

    @Test
    void removeAndClearDropChildren() {
        Counter c = Counter.builder().name("hits").help("Hits.").labelNames("path").register(registry);
        for (int i = 0; i < 100; i++) {
            c.labels("/p" + i).inc(i);
        }
        c.remove("/p7");
        assertNull(registry.getSampleValue("hits_total", new String[] {"path"}, new String[] {"/p7"}));
        assertEquals(8.0, registry.getSampleValue("hits_total", new String[] {"path"}, new String[] {"/p8"}));
        assertEquals(99, ((CounterMetricFamily) c.collect().get(0)).points().size());
        c.clear();
        assertTrue(c.collect().get(0).points().isEmpty());
        c.labels("/p7").inc();
        assertEquals(1.0, registry.getSampleValue("hits_total", new String[] {"path"}, new String[] {"/p7"}));
    }

    @Test
    void childrenKeepInsertionOrder() {
        Counter c = Counter.builder().name("hits").help("Hits.").labelNames("path").register(registry);
        for (int i = 0; i < 1000; i++) {
            c.labels("/p" + i);
        }
        var points = ((CounterMetricFamily) c.collect().get(0)).points();
        for (int i = 0; i < 1000; i++) {
            assertEquals("/p" + i, points.get(i).labels().value(0));
        }
    }
}
