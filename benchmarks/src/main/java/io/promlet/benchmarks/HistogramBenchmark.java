package io.promlet.benchmarks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@code observe(value)} on a histogram without labels with 11 classic buckets, shared by all threads; the
 * values cycle through 1024 log-uniform observations from 1 ms to 10 s. Both keep only classic buckets
 * ({@link NativeHistogramBenchmark} measures native ones).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HistogramBenchmark {
    private Histogram promlet;
    private io.prometheus.metrics.core.metrics.Histogram clientJava;

    @Setup
    public void setUp() {
        promlet = Histogram.builder().name("latency_seconds").help("Latency.").buckets(Shapes.BUCKETS)
                .classicOnly().register(new CollectorRegistry());
        clientJava = io.prometheus.metrics.core.metrics.Histogram.builder().name("latency_seconds").help("Latency.")
                .classicOnly().classicUpperBounds(Shapes.BUCKETS).withoutExemplars().register(new PrometheusRegistry());
    }

    @Benchmark
    public void observe_promlet(Observations values) {
        promlet.observe(values.next());
    }

    @Benchmark
    public void observe_clientJava(Observations values) {
        clientJava.observe(values.next());
    }
}
