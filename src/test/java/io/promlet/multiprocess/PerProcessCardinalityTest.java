package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Histogram;
import io.promlet.TestStores;
import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 24: in the multi-process mode each process keeps its metrics within their cardinality limit, and the scrape
 * of all processes adds their overflow children (one series, every label {@code OTHER}) and their overflow counts up.
 */
class PerProcessCardinalityTest {
    private static final String[] PATH = {"path"};
    private static final String[] OTHER = {"OTHER"};

    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    @Test
    void eachProcessKeepsTheLimitAndTheScrapeAddsTheOverflowUp() throws IOException {
        int perProcess = 1000;
        for (int p = 1; p <= 2; p++) {
            MappedValueStore store = processes.start(dir, 9_100_000 + p);
            CollectorRegistry own = new CollectorRegistry();
            own.setCardinalityLimit(5);
            Counter requests = TestStores.valueStore(Counter.builder().name("requests_total").help("Requests.")
                    .labelNames("path"), store).register(own);
            Histogram latency = TestStores.valueStore(Histogram.builder().name("latency_seconds").help("Latency.")
                    .labelNames("path").buckets(1).classicOnly().cardinalityLimit(3), store).register(own);
            for (int i = 0; i < perProcess; i++) {
                requests.labels("/p" + p + "/" + i).inc();
                latency.labels("/p" + p + "/" + i).observe(0.5);
            }
        }
        CollectorRegistry scraped = new CollectorRegistry();
        scraped.register(new MultiProcessCollector(dir));
        // Four label sets of their own per process, and the overflow child they share.
        assertEquals(2 * 4 + 1, series(scraped, "requests_total"));
        assertEquals(2 * 2 + 1, series(scraped, "latency_seconds_count"));
        assertEquals(2.0 * (perProcess - 4), scraped.getSampleValue("requests_total", PATH, OTHER));
        assertEquals(2.0 * (perProcess - 2), scraped.getSampleValue("latency_seconds_count", PATH, OTHER));
        assertEquals(2.0 * perProcess, total(scraped, "requests_total"), "every increment of every process counted");
        assertEquals(2.0 * (perProcess - 4), scraped.getSampleValue("promlet_cardinality_overflow_total",
                new String[] {"metric"}, new String[] {"requests"}), "the overflow counts of both processes");
        assertEquals(2.0 * (perProcess - 2), scraped.getSampleValue("promlet_cardinality_overflow_total",
                new String[] {"metric"}, new String[] {"latency_seconds"}));
    }

    private static long series(CollectorRegistry registry, String sampleName) {
        return registry.collect().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sampleName)).count();
    }

    private static double total(CollectorRegistry registry, String sampleName) {
        double sum = 0;
        for (MetricFamily family : registry.collect()) {
            for (Sample s : family.samples()) {
                sum += s.name().equals(sampleName) ? s.value() : 0;
            }
        }
        return sum;
    }
}
