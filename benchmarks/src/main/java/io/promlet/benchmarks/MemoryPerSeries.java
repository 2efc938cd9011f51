package io.promlet.benchmarks;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Summary;
import io.promlet.exposition.TextFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Retained heap per series: one metric with one label and 100,000 children, each library at its defaults, after the
 * children's observations and one text scrape. The heap in use after a full collection is read after the scrape,
 * with the registry reachable, and again once it is not; the difference over the number of children is what one
 * series costs. The label values are made before the first reading and kept alive after the second, so their
 * strings (the same ones for both libraries) are not counted. Each measurement is taken three times, in turn for
 * the two libraries, and the smallest is kept: a full collection leaves nothing behind that a later one would
 * reclaim, so the smallest is the closest to what the series hold.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx2g -cp benchmarks.jar io.promlet.benchmarks.MemoryPerSeries [--series 100000] [--out memory.json]
 * </pre>
 */
public final class MemoryPerSeries {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final int ROUNDS = 3;
    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    /** One kind of series: builds the metric in each library's registry and gives child i its observations. */
    private interface Kind {
        IntConsumer promlet(CollectorRegistry registry);

        IntConsumer clientJava(PrometheusRegistry registry);
    }

    private static String[] values;

    private MemoryPerSeries() {
    }

    public static void main(String[] args) throws IOException {
        int series = 100_000;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--series" -> series = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        values = new String[series];
        for (int i = 0; i < series; i++) {
            values[i] = "/api/items/" + i;
        }
        List<String> rows = new ArrayList<>();
        rows.add(row("counter", "counter", series, new Kind() {
            public IntConsumer promlet(CollectorRegistry r) {
                Counter c = Counter.builder().name("requests_total").help("Requests.").labelNames("path").register(r);
                return i -> c.labels(values[i]).inc();
            }

            public IntConsumer clientJava(PrometheusRegistry r) {
                var c = io.prometheus.metrics.core.metrics.Counter.builder().name("requests_total").help("Requests.")
                        .labelNames("path").register(r);
                return i -> c.labelValues(values[i]).inc();
            }
        }));
        rows.add(row("gauge", "gauge", series, new Kind() {
            public IntConsumer promlet(CollectorRegistry r) {
                Gauge g = Gauge.builder().name("in_flight").help("In flight.").labelNames("path").register(r);
                return i -> g.labels(values[i]).set(i);
            }

            public IntConsumer clientJava(PrometheusRegistry r) {
                var g = io.prometheus.metrics.core.metrics.Gauge.builder().name("in_flight").help("In flight.")
                        .labelNames("path").register(r);
                return i -> g.labelValues(values[i]).set(i);
            }
        }));
        rows.add(row("classic", "histogram, classic only (default buckets), 3 observations", series, new Kind() {
            public IntConsumer promlet(CollectorRegistry r) {
                Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").labelNames("path")
                        .classicOnly().register(r);
                return i -> observe3(h.labels(values[i])::observe, i);
            }

            public IntConsumer clientJava(PrometheusRegistry r) {
                var h = io.prometheus.metrics.core.metrics.Histogram.builder().name("latency_seconds").help("Latency.")
                        .labelNames("path").classicOnly().register(r);
                return i -> observe3(h.labelValues(values[i])::observe, i);
            }
        }));
        rows.add(row("default", "histogram, default kind (classic + native), 3 observations", series, new Kind() {
            public IntConsumer promlet(CollectorRegistry r) {
                Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").labelNames("path").register(r);
                return i -> observe3(h.labels(values[i])::observe, i);
            }

            public IntConsumer clientJava(PrometheusRegistry r) {
                var h = io.prometheus.metrics.core.metrics.Histogram.builder().name("latency_seconds").help("Latency.")
                        .labelNames("path").register(r);
                return i -> observe3(h.labelValues(values[i])::observe, i);
            }
        }));
        rows.add(row("summary", "summary, quantiles 0.5, 0.9, 0.99, 3 observations", series, new Kind() {
            public IntConsumer promlet(CollectorRegistry r) {
                Summary.Builder b = Summary.builder().name("latency_seconds").help("Latency.").labelNames("path");
                for (double q : Shapes.QUANTILES) {
                    b.quantile(q);
                }
                Summary s = b.register(r);
                return i -> observe3(s.labels(values[i])::observe, i);
            }

            public IntConsumer clientJava(PrometheusRegistry r) {
                var b = io.prometheus.metrics.core.metrics.Summary.builder().name("latency_seconds").help("Latency.")
                        .labelNames("path");
                for (double q : Shapes.QUANTILES) {
                    b.quantile(q);
                }
                var s = b.register(r);
                return i -> observe3(s.labelValues(values[i])::observe, i);
            }
        }));
        String json = "{\n  \"series\": " + series + ",\n  \"jvm\": \""
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "\",\n  \"rows\": [\n"
                + String.join(",\n", rows) + "\n  ]\n}\n";
        if (out != null) {
            Files.writeString(out, json, StandardCharsets.UTF_8);
        }
        System.out.print(json);
    }

    private static void observe3(java.util.function.DoubleConsumer child, int i) {
        for (int k = 0; k < 3; k++) {
            child.accept(Shapes.OBSERVATIONS[(i * 3 + k) & (Shapes.OBSERVATIONS.length - 1)]);
        }
    }

    private static String row(String id, String description, int series, Kind kind) throws IOException {
        double promlet = Double.MAX_VALUE;
        double clientJava = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            promlet = Math.min(promlet, perSeries(series, () -> {
                CollectorRegistry r = new CollectorRegistry();
                // One metric of 100,000 children is far past the default cardinality limit; client_java has none.
                r.setCardinalityLimit(Integer.MAX_VALUE);
                IntConsumer child = kind.promlet(r);
                for (int i = 0; i < series; i++) {
                    child.accept(i);
                }
                TextFormat.write(DISCARD, r.collect());
                return r;
            }));
            clientJava = Math.min(clientJava, perSeries(series, () -> {
                PrometheusRegistry r = new PrometheusRegistry();
                IntConsumer child = kind.clientJava(r);
                for (int i = 0; i < series; i++) {
                    child.accept(i);
                }
                PrometheusTextFormatWriter.create().write(DISCARD, r.scrape());
                return r;
            }));
        }
        System.err.printf(Locale.ROOT, "%s: promlet %.0f B, client_java %.0f B per series%n", id, promlet, clientJava);
        return String.format(Locale.ROOT, "    {\"kind\": \"%s\", \"description\": \"%s\", \"promlet\": %.1f, \"clientJava\": %.1f}",
                id, description, promlet, clientJava);
    }

    @FunctionalInterface
    private interface Build {
        Object run() throws IOException;
    }

    /**
     * What the registry holds: the heap in use after a full collection with the registry reachable, less the heap
     * in use once it is not. Measured on the way down rather than from a reading taken before it was built, which
     * would count (or, for the second library, subtract) what the other library's scrape left in caches.
     */
    private static double perSeries(int series, Build build) throws IOException {
        Object[] registry = {build.run()};
        long held = usedAfterGc();
        Reference.reachabilityFence(registry);
        registry[0] = null;
        long released = usedAfterGc();
        Reference.reachabilityFence(values);
        return (held - released) / (double) series;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
