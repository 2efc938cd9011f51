package io.promlet.benchmarks;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Summary;
import io.promlet.exposition.OpenMetricsFormat;
import io.promlet.exposition.TextFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One scrape: collect the registry and write it into a reused byte stream. The registry holds 1,000 families,
 * a quarter each of counters, gauges, histograms (11 buckets) and summaries (3 quantiles), each with 10 children
 * of 3 labels, all with values. OpenMetrics is written with {@code _created} samples in both libraries.
 *
 * <p>The {@code ...DefaultHistograms} and {@code ...ClassicHistograms} rows scrape a {@link ThirdsRegistry} instead,
 * a third each counters, gauges and histograms, the histograms of each library's default kind (classic and native
 * buckets) or classic only in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExpositionBenchmark {
    static final int FAMILIES = 1000;
    static final int CHILDREN = 10;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4 << 20);
    CollectorRegistry promlet;
    PrometheusRegistry clientJava;
    private final ExpositionFormatWriter clientJavaText = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter clientJavaOpenMetrics = new OpenMetricsTextFormatWriter(true, false);

    @Setup
    public void setUp() throws IOException {
        promlet = new CollectorRegistry();
        clientJava = new PrometheusRegistry();
        for (int f = 0; f < FAMILIES; f++) {
            String name = "family_" + f;
            switch (f % 4) {
                case 0 -> {
                    Counter p = Counter.builder().name(name + "_total").help("A counter.").labelNames(Shapes.LABEL_NAMES).register(promlet);
                    var c = io.prometheus.metrics.core.metrics.Counter.builder().name(name + "_total").help("A counter.")
                            .labelNames(Shapes.LABEL_NAMES).withoutExemplars().register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        String[] v = Shapes.LABEL_VALUES[i];
                        CounterDataPoint cc = c.labelValues(v);
                        Counter.Child pc = p.labels(v);
                        for (int k = 0; k <= f + i; k++) {
                            pc.inc();
                            cc.inc();
                        }
                    }
                }
                case 1 -> {
                    Gauge p = Gauge.builder().name(name).help("A gauge.").labelNames(Shapes.LABEL_NAMES).register(promlet);
                    var c = io.prometheus.metrics.core.metrics.Gauge.builder().name(name).help("A gauge.")
                            .labelNames(Shapes.LABEL_NAMES).withoutExemplars().register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        String[] v = Shapes.LABEL_VALUES[i];
                        double value = Shapes.OBSERVATIONS[(f + i) & (Shapes.OBSERVATIONS.length - 1)];
                        p.labels(v).set(value);
                        GaugeDataPoint gc = c.labelValues(v);
                        gc.set(value);
                    }
                }
                case 2 -> {
                    Histogram p = Histogram.builder().name(name + "_seconds").help("A histogram.")
                            .labelNames(Shapes.LABEL_NAMES).buckets(Shapes.BUCKETS).classicOnly().register(promlet);
                    var c = io.prometheus.metrics.core.metrics.Histogram.builder().name(name + "_seconds")
                            .help("A histogram.").labelNames(Shapes.LABEL_NAMES).classicOnly()
                            .classicUpperBounds(Shapes.BUCKETS).withoutExemplars().register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        observe(f + i, p.labels(Shapes.LABEL_VALUES[i])::observe, c.labelValues(Shapes.LABEL_VALUES[i]));
                    }
                }
                default -> {
                    Summary p = Summaries.promlet(name + "_seconds", Shapes.LABEL_NAMES).register(promlet);
                    var c = Summaries.clientJava(name + "_seconds", Shapes.LABEL_NAMES).register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        observe(f + i, p.labels(Shapes.LABEL_VALUES[i])::observe, c.labelValues(Shapes.LABEL_VALUES[i]));
                    }
                }
            }
        }
        report("text 0.0.4", this::text_promlet, this::text_clientJava);
        report("OpenMetrics", this::openMetrics_promlet, this::openMetrics_clientJava);
    }

    private static void observe(int seed, java.util.function.DoubleConsumer promletChild, DistributionDataPoint clientJavaChild) {
        for (int k = 0; k < 20; k++) {
            double value = Shapes.OBSERVATIONS[(seed * 31 + k) & (Shapes.OBSERVATIONS.length - 1)];
            promletChild.accept(value);
            clientJavaChild.observe(value);
        }
    }

    /** Shows the size of one scrape of each library, so a reader can check that both wrote the same shape. */
    private void report(String format, Scrape promletScrape, Scrape clientJavaScrape) throws IOException {
        System.out.printf("%s: promlet %s, client_java %s%n", format, describe(promletScrape), describe(clientJavaScrape));
    }

    private String describe(Scrape scrape) throws IOException {
        scrape.run();
        String text = buffer.toString(StandardCharsets.UTF_8);
        return buffer.size() + " bytes, " + text.lines().count() + " lines";
    }

    /** The registries with each library's default histograms, classic and native buckets in both. */
    @State(Scope.Benchmark)
    public static class DefaultHistograms {
        ThirdsRegistry registries;

        @Setup
        public void setUp() {
            registries = new ThirdsRegistry(false);
        }
    }

    /** The same registries with classic-only histograms in both. */
    @State(Scope.Benchmark)
    public static class ClassicHistograms {
        ThirdsRegistry registries;

        @Setup
        public void setUp() {
            registries = new ThirdsRegistry(true);
        }
    }

    @FunctionalInterface
    private interface Scrape {
        int run() throws IOException;
    }

    @Benchmark
    public int text_promlet() throws IOException {
        buffer.reset();
        TextFormat.write(buffer, promlet.collect());
        return buffer.size();
    }

    @Benchmark
    public int text_clientJava() throws IOException {
        buffer.reset();
        clientJavaText.write(buffer, clientJava.scrape());
        return buffer.size();
    }

    @Benchmark
    public int openMetrics_promlet() throws IOException {
        buffer.reset();
        OpenMetricsFormat.write(buffer, promlet.collect(), true);
        return buffer.size();
    }

    @Benchmark
    public int openMetrics_clientJava() throws IOException {
        buffer.reset();
        clientJavaOpenMetrics.write(buffer, clientJava.scrape());
        return buffer.size();
    }

    @Benchmark
    public int textDefaultHistograms_promlet(DefaultHistograms state) throws IOException {
        buffer.reset();
        TextFormat.write(buffer, state.registries.promlet.collect());
        return buffer.size();
    }

    @Benchmark
    public int textDefaultHistograms_clientJava(DefaultHistograms state) throws IOException {
        buffer.reset();
        clientJavaText.write(buffer, state.registries.clientJava.scrape());
        return buffer.size();
    }

    @Benchmark
    public int openMetricsDefaultHistograms_promlet(DefaultHistograms state) throws IOException {
        buffer.reset();
        OpenMetricsFormat.write(buffer, state.registries.promlet.collect(), true);
        return buffer.size();
    }

    @Benchmark
    public int openMetricsDefaultHistograms_clientJava(DefaultHistograms state) throws IOException {
        buffer.reset();
        clientJavaOpenMetrics.write(buffer, state.registries.clientJava.scrape());
        return buffer.size();
    }

    @Benchmark
    public int textClassicHistograms_promlet(ClassicHistograms state) throws IOException {
        buffer.reset();
        TextFormat.write(buffer, state.registries.promlet.collect());
        return buffer.size();
    }

    @Benchmark
    public int textClassicHistograms_clientJava(ClassicHistograms state) throws IOException {
        buffer.reset();
        clientJavaText.write(buffer, state.registries.clientJava.scrape());
        return buffer.size();
    }
}
