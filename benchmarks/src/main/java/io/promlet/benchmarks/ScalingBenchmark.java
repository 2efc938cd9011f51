package io.promlet.benchmarks;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.exposition.TextFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * How a scrape's cost grows: a text scrape of a registry of {@code series} counter series (families of 1,000
 * children of one label), written to a stream that only counts, as the scrape handler writes it: promlet collects
 * each metric when the writer reaches it ({@code collectLazily()}), client_java takes its whole snapshot first (its
 * {@code scrape()}, which its servlet and HTTP server call). The time and the bytes allocated per scrape, divided by
 * the number of series, should stay flat from 10,000 to 1,000,000.
 *
 * <p>Back to back ({@code text_*}), a registry that fits in the processor's caches is read from them on every
 * scrape; a server scraped every 15 s has run other work meanwhile. The {@code textEvicted_*} rows read 64 MiB,
 * twice this machine's L3 cache, before each scrape (not timed), so that every size starts from memory, as a
 * production scrape does: what is left is how the work grows, not which sizes fit in a cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class ScalingBenchmark {
    static final int CHILDREN = 1000;

    @Param({"10000", "100000", "1000000"})
    public int series;

    private final CountingStream out = new CountingStream();
    private final ExpositionFormatWriter clientJavaText = PrometheusTextFormatWriter.create();
    private CollectorRegistry promlet;
    private PrometheusRegistry clientJava;

    /** Counts what is written and keeps nothing, so that only the scrape's own allocation is measured. */
    static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Evicts the caches before each scrape, by reading (not writing, which would leave write-backs to the scrape). */
    @State(Scope.Thread)
    public static class EvictedCaches {
        private final long[] sweep = new long[64 << 20 >> 3];
        long sum;

        @Setup(Level.Invocation)
        public void evict() {
            long s = 0;
            for (int i = 0; i < sweep.length; i += 8) {
                s += sweep[i];
            }
            sum += s;
        }
    }

    @Setup
    public void setUp() throws IOException {
        promlet = new CollectorRegistry();
        clientJava = new PrometheusRegistry();
        String[] values = new String[CHILDREN];
        for (int i = 0; i < CHILDREN; i++) {
            values[i] = "/api/items/" + i;
        }
        for (int f = 0; f < series / CHILDREN; f++) {
            String name = "family_" + f + "_total";
            Counter p = Counter.builder().name(name).help("A counter.").labelNames("path").register(promlet);
            var c = io.prometheus.metrics.core.metrics.Counter.builder().name(name).help("A counter.")
                    .labelNames("path").register(clientJava);
            for (int i = 0; i < CHILDREN; i++) {
                p.labels(values[i]).inc(i);
                c.labelValues(values[i]).inc(i);
            }
        }
        System.out.printf("scaling %d series: promlet %d bytes, client_java %d bytes%n", series, text_promlet(),
                text_clientJava());
    }

    @Benchmark
    public long text_promlet() throws IOException {
        out.count = 0;
        TextFormat.write(out, promlet.collectLazily());
        return out.count;
    }

    @Benchmark
    public long text_clientJava() throws IOException {
        out.count = 0;
        clientJavaText.write(out, clientJava.scrape());
        return out.count;
    }

    @Benchmark
    public long textEvicted_promlet(EvictedCaches caches) throws IOException {
        return text_promlet() + caches.sum;
    }

    @Benchmark
    public long textEvicted_clientJava(EvictedCaches caches) throws IOException {
        return text_clientJava() + caches.sum;
    }
}
