package io.promlet.benchmarks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Summary;
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
 * {@code observe(value)} on a summary without labels with the quantiles 0.5, 0.9 and 0.99 over a sliding window
 * of 10 minutes in 5 age buckets (client_java's defaults, set on both), shared by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SummaryBenchmark {
    private Summary promlet;
    private io.prometheus.metrics.core.metrics.Summary clientJava;

    @Setup
    public void setUp() {
        promlet = Summaries.promlet("latency_seconds").register(new CollectorRegistry());
        clientJava = Summaries.clientJava("latency_seconds").register(new PrometheusRegistry());
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
