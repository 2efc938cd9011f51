package io.promlet.internal;

/**
 * The sampled {@code traceparent} header of the request this thread serves, set by the servlet filter for the time
 * it measures the request, so that the filter's metrics and the application's find the trace when no OpenTelemetry
 * span is current. Cleared by setting null rather than removed: the thread keeps its entry, so the next request
 * allocates nothing, and a null value holds nothing of the web application.
 */
public final class RequestTraceparent {
    private static final ThreadLocal<String> HEADER = new ThreadLocal<>();

    private RequestTraceparent() {
    }

    /** Makes a header that {@link Traceparent#sampledOrNull} accepted this thread's trace, or clears it (null). */
    public static void set(String sampledHeader) {
        HEADER.set(sampledHeader);
    }

    static String get() {
        return HEADER.get();
    }
}
