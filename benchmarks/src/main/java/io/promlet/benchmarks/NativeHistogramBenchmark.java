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
 * {@code observe(value)} on histograms with native buckets, without labels and shared by all threads, promlet and
 * client_java at the same settings (initial schema 5, at most 160 buckets, zero threshold 2^-128, no exemplars):
 * native buckets only, and the default of both libraries, classic (the 11 of {@link HistogramBenchmark}) and native
 * buckets together. The values cycle through 1024 log-uniform observations from 1 ms to 10 s, which fit in 160
 * buckets at schema 3, so the schema is reduced in the warm-up and the measurement sees the steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class NativeHistogramBenchmark {
    private Histogram promletNative;
    private Histogram promletDefault;
    private io.prometheus.metrics.core.metrics.Histogram clientJavaNative;
    private io.prometheus.metrics.core.metrics.Histogram clientJavaDefault;

    @Setup
    public void setUp() {
        CollectorRegistry promlet = new CollectorRegistry();
        promletNative = Histogram.builder().name("native_seconds").help("Latency.").nativeOnly()
                .nativeInitialSchema(5).nativeMaxNumberOfBuckets(160).nativeMinZeroThreshold(0x1p-128).register(promlet);
        promletDefault = Histogram.builder().name("default_seconds").help("Latency.").buckets(Shapes.BUCKETS)
                .nativeInitialSchema(5).nativeMaxNumberOfBuckets(160).nativeMinZeroThreshold(0x1p-128).register(promlet);
        PrometheusRegistry clientJava = new PrometheusRegistry();
        clientJavaNative = io.prometheus.metrics.core.metrics.Histogram.builder().name("native_seconds").help("Latency.")
                .nativeOnly().nativeInitialSchema(5).nativeMaxNumberOfBuckets(160)
                .nativeMinZeroThreshold(0x1p-128).nativeMaxZeroThreshold(0x1p-128).withoutExemplars().register(clientJava);
        clientJavaDefault = io.prometheus.metrics.core.metrics.Histogram.builder().name("default_seconds").help("Latency.")
                .classicUpperBounds(Shapes.BUCKETS).nativeInitialSchema(5).nativeMaxNumberOfBuckets(160)
                .nativeMinZeroThreshold(0x1p-128).nativeMaxZeroThreshold(0x1p-128).withoutExemplars().register(clientJava);
    }

    @Benchmark
    public void observeNative_promlet(Observations values) {
        promletNative.observe(values.next());
    }

    @Benchmark
    public void observeNative_clientJava(Observations values) {
        clientJavaNative.observe(values.next());
    }

    @Benchmark
    public void observeDefault_promlet(Observations values) {
        promletDefault.observe(values.next());
    }

    @Benchmark
    public void observeDefault_clientJava(Observations values) {
        clientJavaDefault.observe(values.next());
    }
}
