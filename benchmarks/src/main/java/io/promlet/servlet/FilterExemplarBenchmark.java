package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.benchmarks.AgentSpanScope;
import io.promlet.internal.RequestTraceparent;
import io.promlet.internal.Traceparent;
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
 * The filter's recording of one finished request, {@code HttpMetrics.finished}, with the latency a classic histogram
 * (the metrics that take exemplars): {@code mode} {@code off} (init-param {@code exemplars} false), {@code noSpan},
 * {@code span} (a sampled span of the agent's API current; needs the agent jar on the class path) and
 * {@code traceparent} (no span, the request's sampled header checked and made the thread's trace, as
 * {@link MetricsFilter#doFilter} does). In this package because the recording is package-private; the container's
 * work around it is in {@code FilterLoad}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FilterExemplarBenchmark {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Param({"off", "noSpan", "span", "traceparent"})
    public String mode;

    private HttpMetrics metrics;
    private String header;
    private AgentSpanScope span;

    @Setup
    public void setUp() {
        CollectorRegistry registry = new CollectorRegistry();
        metrics = new HttpMetrics(MetricsFilter.builder().registry(registry).buckets(0.01, 0.1, 1, 10)
                .exemplars(!mode.equals("off")).settings());
        metrics.registerWith(registry);
        header = mode.equals("traceparent") ? TRACEPARENT : null;
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
    public void finished() {
        String traceparent = Traceparent.sampledOrNull(header);
        if (traceparent != null) {
            RequestTraceparent.set(traceparent);
        }
        try {
            metrics.finished(HttpMethod.GET, "/hello", 200, System.nanoTime() - 1_000_000, 0);
        } finally {
            if (traceparent != null) {
                RequestTraceparent.set(null);
            }
        }
    }
}
