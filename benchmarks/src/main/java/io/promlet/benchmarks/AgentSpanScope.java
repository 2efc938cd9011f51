package io.promlet.benchmarks;

import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span;
import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.javaagent.shaded.io.opentelemetry.context.Scope;

/**
 * A sampled span made current on this thread through the OpenTelemetry agent's relocated API, as the agent does for
 * a request it traces. Needs the agent jar on the class path; loaded only by the benchmarks' {@code span} mode.
 */
public final class AgentSpanScope implements AutoCloseable {
    private final Scope scope;

    public AgentSpanScope() {
        scope = Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault())).makeCurrent();
    }

    @Override
    public void close() {
        scope.close();
    }
}
