package io.promlet.benchmarks;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * What automatic exemplars cost the hot paths: {@code inc()} on a counter without labels, {@code observe(v)} on a
 * classic-only histogram (11 buckets, as {@link HistogramBenchmark}) and on a default one (classic and native), the
 * values as in {@link HistogramBenchmark}; {@code mode} is {@code off} (built with {@code exemplars(false)}),
 * {@code noSpan} (on, no span current) or {@code span} (on, a sampled span of the agent's API current on the thread,
 * which needs the agent jar on the class path). Per thread, so the span is the measuring thread's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExemplarBenchmark {
    @Param({"off", "noSpan", "span"})
    public String mode;

    private Counter counter;
    private Histogram classic;
    private Histogram defaultKind;
    private AgentSpanScope span;

    @Setup
    public void setUp() {
        boolean exemplars = !mode.equals("off");
        CollectorRegistry registry = new CollectorRegistry();
        counter = Counter.builder().name("requests_total").help("Requests.").exemplars(exemplars).register(registry);
        classic = Histogram.builder().name("latency_seconds").help("Latency.").buckets(Shapes.BUCKETS).classicOnly()
                .exemplars(exemplars).register(registry);
        defaultKind = Histogram.builder().name("default_latency_seconds").help("Latency.").buckets(Shapes.BUCKETS)
                .exemplars(exemplars).register(registry);
        if (mode.equals("span")) {
            span = new AgentSpanScope();
        }
    }

    @TearDown
    public void tearDown() {
        if (span != null) {
            span.close();
        }
    }

    @Benchmark
    public void counterInc() {
        counter.inc();
    }

    @Benchmark
    public void classicObserve(Observations values) {
        classic.observe(values.next());
    }

    @Benchmark
    public void defaultObserve(Observations values) {
        defaultKind.observe(values.next());
    }
}
