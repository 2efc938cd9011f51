package io.promlet.servlet;

import io.promlet.internal.RequestTraceparent;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Records a request that went async once it completes, with the status the client got: after a timeout
 * or an error the container has set it by the time {@code onComplete} runs.
 */
final class AsyncCompletion implements AsyncListener {
    private final MetricsFilter filter;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final CountingResponse counting;
    private final HttpMethod method;
    private final String entryRoute;
    private final long startNanos;
    /** The request's sampled traceparent, or null; set again while recording, on whichever thread completes it. */
    private final String traceparent;

    AsyncCompletion(MetricsFilter filter, HttpServletRequest request, HttpServletResponse response,
                    CountingResponse counting, HttpMethod method, String entryRoute, long startNanos,
                    String traceparent) {
        this.filter = filter;
        this.request = request;
        this.response = response;
        this.counting = counting;
        this.method = method;
        this.entryRoute = entryRoute;
        this.startNanos = startNanos;
        this.traceparent = traceparent;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (traceparent == null) {
            filter.record(request, counting, method, entryRoute, startNanos, response.getStatus());
            return;
        }
        RequestTraceparent.set(traceparent);
        try {
            filter.record(request, counting, method, entryRoute, startNanos, response.getStatus());
        } finally {
            RequestTraceparent.set(null);
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // A new async cycle (startAsync during an async dispatch) keeps only the listeners that re-register.
        event.getAsyncContext().addListener(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // The container completes the request after the timeout; onComplete records it then.
    }

    @Override
    public void onError(AsyncEvent event) {
        // As for timeouts: onComplete follows.
    }
}
