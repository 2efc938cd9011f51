package io.promlet.internal;

/**
 * The sampled {@code traceparent} header of the request this thread serves, set by the servlet filter for the time
 * it measures the request, so that the filter's metrics and the application's find the trace when no OpenTelemetry
 * span is current. Cleared by setting null rather than removed: the thread keeps its entry, so the next request
 * allocates nothing, and a null value holds nothing of the web application.
 *
 * <p>Until a first request has carried one, no thread can have a header, so {@link #get} answers null without
 * reading the thread-local: that read is a sixth of a counter's {@code inc()}, which every increment with exemplars
 * on (the default) would otherwise pay in an application that never sees a {@code traceparent}. The flag only
 * ever goes from false to true and changes no answer, so it is a cache, not state.
 */
public final class RequestTraceparent {
    private static final ThreadLocal<String> HEADER = new ThreadLocal<>();

    // Not volatile: a thread holds a header only after its own set() wrote true, which its later reads see in
    // program order; another thread that still reads false holds no header anyway.
    private static boolean anySet;

    private RequestTraceparent() {
    }

    /** Makes a header that {@link Traceparent#sampledOrNull} accepted this thread's trace, or clears it (null). */
    public static void set(String sampledHeader) {
        // Read before written: a write on every request would move the line that every inc() reads between cores.
        if (sampledHeader != null && !anySet) {
            anySet = true;
        }
        HEADER.set(sampledHeader);
    }

    static String get() {
        return anySet ? HEADER.get() : null;
    }
}
