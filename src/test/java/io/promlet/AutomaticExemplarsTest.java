package io.promlet;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Counters and histograms take exemplars of the current OpenTelemetry span by themselves: the application's API
 * and the agent's relocated copy of it (both on the test class path, as in an application run with the agent), and
 * none when no span is current, when it is not sampled, or when switched off.
 */
class AutomaticExemplarsTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String SPAN_ID = "b7ad6b7169203331";
    private final CollectorRegistry registry = new CollectorRegistry();

    private static Scope applicationSpan(boolean sampled) {
        return Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault())).makeCurrent();
    }

    private static io.opentelemetry.javaagent.shaded.io.opentelemetry.context.Scope agentSpan() {
        return io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span.wrap(
                io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.SpanContext.create(TRACE_ID, SPAN_ID,
                        io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.TraceFlags.getSampled(),
                        io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.TraceState.getDefault()))
                .makeCurrent();
    }

    private static Exemplar counterExemplar(Counter c) {
        return ((CounterMetricFamily) c.collect().get(0)).points().get(0).exemplar();
    }

    private static Exemplar[] histogramExemplars(Histogram h) {
        return ((HistogramMetricFamily) h.collect().get(0)).points().get(0).exemplars();
    }

    @Test
    void aCounterIncrementedInASampledSpanNamesIt() {
        Counter c = Counter.builder().name("orders").help("Orders.").register(registry);
        try (Scope ignored = applicationSpan(true)) {
            c.inc();
        }
        Exemplar e = counterExemplar(c);
        assertEquals(Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID), e.labels());
        assertEquals(1.0, e.value());
    }

    @Test
    void theAgentsSpanCountsToo() {
        Counter c = Counter.builder().name("orders").help("Orders.").register(registry);
        try (io.opentelemetry.javaagent.shaded.io.opentelemetry.context.Scope ignored = agentSpan()) {
            c.inc(3);
        }
        assertEquals(TRACE_ID, counterExemplar(c).labels().get("trace_id"));
        assertEquals(3.0, counterExemplar(c).value());
    }

    @Test
    void aHistogramGivesTheObservationsBucketTheExemplar() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").buckets(0.1, 1).register(registry);
        try (Scope ignored = applicationSpan(true)) {
            h.observe(0.5);
        }
        Exemplar[] exemplars = histogramExemplars(h);
        assertNull(exemplars[0]);
        assertEquals(SPAN_ID, exemplars[1].labels().get("span_id"));
        assertEquals(0.5, exemplars[1].value());
        assertNull(exemplars[2]);
    }

    @Test
    void aNativeOnlyHistogramKeepsOneInItsInfBucket() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").nativeOnly().register(registry);
        try (Scope ignored = applicationSpan(true)) {
            h.observe(0.5);
            h.observe(0.7); // within the minimum retention: not taken, however slow
        }
        Exemplar[] exemplars = histogramExemplars(h);
        assertEquals(1, exemplars.length);
        assertEquals(0.5, exemplars[0].value());
    }

    @Test
    void aClassicOnlyHistogramTakesThemToo() {
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").classicOnly().buckets(1)
                .register(registry);
        try (Scope ignored = applicationSpan(true)) {
            h.observe(2);
        }
        assertEquals(2.0, histogramExemplars(h)[1].value());
    }

    @Test
    void noSpanOrAnUnsampledOneGivesNone() {
        Counter c = Counter.builder().name("orders").help("Orders.").register(registry);
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").register(registry);
        c.inc();
        h.observe(0.5);
        try (Scope ignored = applicationSpan(false)) {
            c.inc();
            h.observe(0.5);
        }
        assertNull(counterExemplar(c));
        assertNull(histogramExemplars(h));
    }

    @Test
    void switchedOffTheyTakeNone() {
        Counter c = Counter.builder().name("orders").help("Orders.").exemplars(false).register(registry);
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").exemplars(false).register(registry);
        try (Scope ignored = applicationSpan(true)) {
            c.inc();
            h.observe(0.5);
        }
        assertNull(counterExemplar(c));
        assertNull(histogramExemplars(h));
    }

    @Test
    void thePerMetricSettingSwitchesThemOffUnlessTheCodeSaysOtherwise() {
        registry.setMetricSettings(key -> key.endsWith(".exemplars") ? "false" : null);
        Counter off = Counter.builder().name("orders").help("Orders.").register(registry);
        Histogram alsoOff = Histogram.builder().name("latency_seconds").help("Latency.").register(registry);
        Counter on = Counter.builder().name("payments").help("Payments.").exemplars(true).register(registry);
        try (Scope ignored = applicationSpan(true)) {
            off.inc();
            alsoOff.observe(0.5);
            on.inc();
        }
        assertNull(counterExemplar(off));
        assertNull(histogramExemplars(alsoOff));
        assertEquals(Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID), counterExemplar(on).labels());
    }

    @Test
    void aManualExemplarStaysWhileItIsYoungerThanTheMinimumRetention() {
        Counter c = Counter.builder().name("orders").help("Orders.").register(registry);
        Histogram h = Histogram.builder().name("latency_seconds").help("Latency.").buckets(1).register(registry);
        c.inc(1, Map.of("trace_id", "manual"));
        h.observe(0.5, Map.of("trace_id", "manual"));
        try (Scope ignored = applicationSpan(true)) {
            c.inc();
            h.observe(0.9);
            c.inc(1, Map.of("trace_id", "manual2"));
        }
        assertEquals("manual2", counterExemplar(c).labels().get("trace_id"), "a manual exemplar always takes the slot");
        assertEquals("manual", histogramExemplars(h)[0].labels().get("trace_id"));
        assertEquals(2.0 + 1, c.get());
    }
}
