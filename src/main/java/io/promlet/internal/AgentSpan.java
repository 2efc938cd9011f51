package io.promlet.internal;

import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span;
import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.SpanContext;
import io.promlet.model.Labels;

/**
 * The current span of the OpenTelemetry Java agent, which keeps its own, relocated copy of the OpenTelemetry API
 * on the bootstrap class path, so every web application sees it. Linking this class fails without the agent;
 * {@link CurrentSpan} finds that out once and then never calls it.
 */
final class AgentSpan {
    private AgentSpan() {
    }

    /** Throws a {@link LinkageError} unless the agent's API is there. */
    static void probe() {
        Span.current();
    }

    static boolean sampled() {
        return Span.current().getSpanContext().isSampled();
    }

    static Labels exemplarLabels() {
        SpanContext context = Span.current().getSpanContext();
        return context.isSampled() ? CurrentSpan.labels(context.getTraceId(), context.getSpanId()) : null;
    }
}
