package io.promlet.benchmarks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Gauge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** {@code set(value)} on a gauge without labels, shared by all threads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GaugeBenchmark {
    private Gauge promlet;
    private io.prometheus.metrics.core.metrics.Gauge clientJava;

    @Setup
    public void setUp() {
        promlet = Gauge.builder().name("queue_size").help("Jobs waiting.").register(new CollectorRegistry());
        clientJava = io.prometheus.metrics.core.metrics.Gauge.builder().name("queue_size").help("Jobs waiting.")
                .withoutExemplars().register(new PrometheusRegistry());
    }

    @Benchmark
    public void set_promlet(Observations values) {
        promlet.set(values.next());
    }

    @Benchmark
    public void set_clientJava(Observations values) {
        clientJava.set(values.next());
    }
}
