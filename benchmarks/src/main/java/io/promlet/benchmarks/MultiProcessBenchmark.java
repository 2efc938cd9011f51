package io.promlet.benchmarks;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.multiprocess.MultiProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the multi-process mode costs: the same counter, gauge and histogram updates with values in memory and
 * with values in memory-mapped files in a temporary directory. The mode is chosen per process, and JMH runs
 * every benchmark method in a JVM of its own, so only the {@code _multiprocess} methods turn it on.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MultiProcessBenchmark {
    /** The metrics, made after the mode is chosen. */
    public abstract static class Metrics {
        Counter counter;
        Gauge gauge;
        Histogram histogram;
        Histogram nativeHistogram;

        void create() {
            CollectorRegistry registry = new CollectorRegistry();
            counter = Counter.builder().name("requests_total").help("Requests.").register(registry);
            gauge = Gauge.builder().name("queue_size").help("Jobs waiting.").register(registry);
            histogram = Histogram.builder().name("latency_seconds").help("Latency.").buckets(Shapes.BUCKETS)
                    .classicOnly().register(registry);
            // The default: classic and native buckets. In memory the schema is reduced as the counts grow, in the
            // files every bucket of the initial schema is a value of its own.
            nativeHistogram = Histogram.builder().name("native_latency_seconds").help("Latency.").buckets(Shapes.BUCKETS)
                    .register(registry);
        }
    }

    /** Values on the heap, the default. */
    @State(Scope.Benchmark)
    public static class InMemory extends Metrics {
        @Setup
        public void setUp() {
            create();
        }
    }

    /** Values in memory-mapped files in a fresh temporary directory, removed afterwards. */
    @State(Scope.Benchmark)
    public static class InFiles extends Metrics {
        private Path directory;

        @Setup
        public void setUp() throws IOException {
            directory = Files.createTempDirectory("promlet-multiprocess-benchmark");
            MultiProcess.enable(directory);
            create();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    public void counterInc_memory(InMemory m) {
        m.counter.inc();
    }

    @Benchmark
    public void counterInc_multiprocess(InFiles m) {
        m.counter.inc();
    }

    @Benchmark
    public void gaugeSet_memory(InMemory m, Observations values) {
        m.gauge.set(values.next());
    }

    @Benchmark
    public void gaugeSet_multiprocess(InFiles m, Observations values) {
        m.gauge.set(values.next());
    }

    @Benchmark
    public void histogramObserve_memory(InMemory m, Observations values) {
        m.histogram.observe(values.next());
    }

    @Benchmark
    public void histogramObserve_multiprocess(InFiles m, Observations values) {
        m.histogram.observe(values.next());
    }

    @Benchmark
    public void nativeHistogramObserve_memory(InMemory m, Observations values) {
        m.nativeHistogram.observe(values.next());
    }

    @Benchmark
    public void nativeHistogramObserve_multiprocess(InFiles m, Observations values) {
        m.nativeHistogram.observe(values.next());
    }
}
