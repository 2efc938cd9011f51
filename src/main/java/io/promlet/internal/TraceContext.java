package io.promlet.internal;

import io.promlet.model.Labels;

/**
 * The sampled trace that an observation made now on this thread belongs to, which automatic exemplars name. The
 * instruments and the servlet filter ask only this; where the trace comes from is {@link CurrentSpan}'s business.
 */
public interface TraceContext {
    /** The process's one source: the OpenTelemetry agent, the OpenTelemetry API, or the request's traceparent. */
    static TraceContext current() {
        return CurrentSpan.INSTANCE;
    }

    /** True if a sampled span is current on this thread. Allocates nothing. */
    boolean sampled();

    /** The {@code trace_id} and {@code span_id} of the sampled span current on this thread, or null if there is none. */
    Labels exemplarLabels();
}
