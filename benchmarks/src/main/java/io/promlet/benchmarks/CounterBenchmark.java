package io.promlet.benchmarks;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
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
 * {@code inc()} on a counter without labels, on a labelled child kept in a field, and with the child looked up
 * by its three label values on every call (100 children, cycled). The metrics are shared by all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CounterBenchmark {
    private Counter promlet;
    private Counter promletLabelled;
    private Counter.Child promletChild;

    private io.prometheus.metrics.core.metrics.Counter clientJava;
    private io.prometheus.metrics.core.metrics.Counter clientJavaLabelled;
    private CounterDataPoint clientJavaChild;

    @Setup
    public void setUp() {
        CollectorRegistry registry = new CollectorRegistry();
        promlet = Counter.builder().name("requests_total").help("Requests.").register(registry);
        promletLabelled = Counter.builder().name("labelled_requests_total").help("Requests.")
                .labelNames(Shapes.LABEL_NAMES).register(registry);
        promletChild = promletLabelled.labels("GET", "/api/items/1", "200");

        PrometheusRegistry clientRegistry = new PrometheusRegistry();
        clientJava = io.prometheus.metrics.core.metrics.Counter.builder().name("requests_total").help("Requests.")
                .withoutExemplars().register(clientRegistry);
        clientJavaLabelled = io.prometheus.metrics.core.metrics.Counter.builder().name("labelled_requests_total")
                .help("Requests.").labelNames(Shapes.LABEL_NAMES).withoutExemplars().register(clientRegistry);
        clientJavaChild = clientJavaLabelled.labelValues("GET", "/api/items/1", "200");

        for (String[] v : Shapes.LABEL_VALUES) {
            promletLabelled.labels(v[0], v[1], v[2]);
            clientJavaLabelled.labelValues(v[0], v[1], v[2]);
        }
    }

    @Benchmark
    public void incNoLabels_promlet() {
        promlet.inc();
    }

    @Benchmark
    public void incNoLabels_clientJava() {
        clientJava.inc();
    }

    @Benchmark
    public void incCachedChild_promlet() {
        promletChild.inc();
    }

    @Benchmark
    public void incCachedChild_clientJava() {
        clientJavaChild.inc();
    }

    @Benchmark
    public void incLabelsLookup_promlet(Cursor cursor) {
        String[] v = cursor.next();
        promletLabelled.labels(v[0], v[1], v[2]).inc();
    }

    @Benchmark
    public void incLabelsLookup_clientJava(Cursor cursor) {
        String[] v = cursor.next();
        clientJavaLabelled.labelValues(v[0], v[1], v[2]).inc();
    }

    /** Each thread's position in the cycle of 100 label combinations. */
    @State(Scope.Thread)
    public static class Cursor {
        private int i;

        String[] next() {
            String[] v = Shapes.LABEL_VALUES[i];
            i = i == Shapes.LABEL_VALUES.length - 1 ? 0 : i + 1;
            return v;
        }
    }
}
