package io.promlet.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.promlet.model.Labels;

/**
 * The current span of the application's own OpenTelemetry API, {@code Span.current()}, when the web application
 * has it on its class path (with the SDK, or bridged to the agent's). Linking this class fails without it;
 * {@link CurrentSpan} finds that out once and then never calls it.
 */
final class ApplicationSpan {
    private ApplicationSpan() {
    }

    /** Throws a {@link LinkageError} unless the OpenTelemetry API is there. */
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
