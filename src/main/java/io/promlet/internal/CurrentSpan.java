package io.promlet.internal;

import io.promlet.model.Labels;

/**
 * Where automatic exemplars find the trace, first found wins: the OpenTelemetry Java agent's current span, the
 * application's OpenTelemetry API {@code Span.current()}, the request's {@code traceparent} header. Which of the
 * two APIs are there is found out once, when the class is initialised, by linking each; nothing is looked up by
 * name, and a missing API costs nothing afterwards.
 */
final class CurrentSpan implements TraceContext {
    private static final System.Logger LOG = System.getLogger(CurrentSpan.class.getName());

    // Static finals, which the JIT folds: without OpenTelemetry a sampled() is the traceparent check alone.
    private static final boolean AGENT = agentPresent();
    private static final boolean APPLICATION = applicationApiPresent();

    static final CurrentSpan INSTANCE = new CurrentSpan();

    private CurrentSpan() {
        LOG.log(System.Logger.Level.DEBUG, "exemplars: OpenTelemetry agent " + (AGENT ? "found" : "absent")
                + ", OpenTelemetry API " + (APPLICATION ? "found" : "absent"));
    }

    private static boolean agentPresent() {
        try {
            AgentSpan.probe();
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    private static boolean applicationApiPresent() {
        try {
            ApplicationSpan.probe();
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public boolean sampled() {
        return AGENT && AgentSpan.sampled() || APPLICATION && ApplicationSpan.sampled() || RequestTraceparent.get() != null;
    }

    @Override
    public Labels exemplarLabels() {
        Labels labels = AGENT ? AgentSpan.exemplarLabels() : null;
        if (labels == null && APPLICATION) {
            labels = ApplicationSpan.exemplarLabels();
        }
        String header;
        if (labels == null && (header = RequestTraceparent.get()) != null) {
            labels = Traceparent.exemplarLabels(header);
        }
        return labels;
    }

    /**
     * The exemplar labels of a span's ids, or null unless they are W3C ids: a span context of another implementation
     * must not make {@code observe} throw, nor pass the OpenMetrics limit of 128 characters.
     */
    static Labels labels(String traceId, String spanId) {
        return Traceparent.isId(traceId, 32) && Traceparent.isId(spanId, 16)
                ? Labels.of("trace_id", traceId, "span_id", spanId) : null;
    }
}
