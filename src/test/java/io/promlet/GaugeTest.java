package io.promlet;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaugeTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void goesUpAndDownAndIsSet() {
        Gauge g = Gauge.builder().name("queue_size").help("Jobs waiting.").register(registry);
        g.inc();
        g.inc(2.5);
        g.dec(10);
        assertEquals(-6.5, registry.getSampleValue("queue_size"));
        g.dec();
        assertEquals(-7.5, g.get());
        g.set(4.2);
        assertEquals(4.2, registry.getSampleValue("queue_size"));
    }

    @Test
    void setToCurrentTime() {
        Gauge g = Gauge.builder().name("last_run_seconds").help("Last run.").register(registry);
        double before = System.currentTimeMillis() / 1000.0;
        g.setToCurrentTime();
        assertTrue(g.get() >= before - 1 && g.get() <= System.currentTimeMillis() / 1000.0 + 1, "value " + g.get());
    }

    @Test
    void functionIsReadAtScrapeTime() {
        AtomicInteger size = new AtomicInteger(3);
        Gauge g = Gauge.builder().name("map_size").help("Entries.").register(registry);
        g.setFunction(size::get);
        assertEquals(3.0, registry.getSampleValue("map_size"));
        size.set(7);
        assertEquals(7.0, registry.getSampleValue("map_size"));
    }

    @Test
    void trackInProgressUsesOneSharedHandle() {
        Gauge inFlight = Gauge.builder().name("in_flight").help("Running.").labelNames("method").register(registry);
        Gauge.InProgress first;
        try (Gauge.InProgress t = inFlight.labels("GET").trackInProgress()) {
            first = t;
            try (Gauge.InProgress nested = inFlight.labels("GET").trackInProgress()) {
                assertSame(first, nested);
                assertEquals(2.0, registry.getSampleValue("in_flight", new String[] {"method"}, new String[] {"GET"}));
            }
        }
        assertEquals(0.0, registry.getSampleValue("in_flight", new String[] {"method"}, new String[] {"GET"}));
    }
}
