package io.promlet.servlet;

import io.promlet.Collector;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Summary;

import java.util.ArrayList;
import java.util.List;

/**
 * The filter's metrics: requests by method, path and status; latency and optionally response size by method
 * and path; requests in progress by method. Recording takes no lock: children are looked up in the metrics'
 * lock-free tables and in-progress children are cached per method.
 */
final class HttpMetrics {
    private static final String[] STATUS_LABELS = new String[600];

    static {
        for (int i = 100; i < STATUS_LABELS.length; i++) {
            STATUS_LABELS[i] = Integer.toString(i);
        }
    }

    private final Counter requests;
    private final Summary durationSummary;
    private final Histogram durationHistogram;
    private final Gauge inProgress;
    private final Summary responseSize;
    private final Gauge.Child[] inProgressByMethod = new Gauge.Child[HttpMethod.values().length];
    private final List<Collector> metrics = new ArrayList<>();
    private CollectorRegistry registry;

    /**
     * Creates the metrics, unregistered.
     *
     * @throws IllegalArgumentException if a name, quantile or bucket is invalid, or two names clash
     */
    HttpMetrics(FilterSettings settings) {
        // A scratch registry applies the instruments' own validation, clashes between our names included.
        CollectorRegistry scratch = new CollectorRegistry();
        requests = Counter.builder().name(settings.requestsMetric)
                .help("HTTP requests, counted when they end.")
                .labelNames("method", "path", "status").exemplars(settings.exemplars).register(scratch);
        metrics.add(requests);
        if (settings.buckets != null || settings.nativeHistogram) {
            durationSummary = null;
            Histogram.Builder histogram = Histogram.builder().name(settings.durationMetric)
                    .help("HTTP request duration in seconds.").labelNames("method", "path")
                    .exemplars(settings.exemplars);
            if (settings.buckets == null) {
                histogram.nativeOnly();
            } else if (settings.nativeHistogram) {
                histogram.buckets(settings.buckets);
            } else {
                // As before native histograms: the filter's classic histogram stays classic unless asked.
                histogram.buckets(settings.buckets).classicOnly();
            }
            durationHistogram = histogram.register(scratch);
            metrics.add(durationHistogram);
        } else {
            Summary.Builder summary = Summary.builder().name(settings.durationMetric)
                    .help("HTTP request duration in seconds.").labelNames("method", "path");
            for (double q : settings.quantiles) {
                summary.quantile(q);
            }
            durationSummary = summary.register(scratch);
            durationHistogram = null;
            metrics.add(durationSummary);
        }
        inProgress = Gauge.builder().name(settings.inProgressMetric)
                .help("HTTP requests being served.").labelNames("method").register(scratch);
        metrics.add(inProgress);
        if (settings.responseSizeMetric != null) {
            responseSize = Summary.builder().name(settings.responseSizeMetric)
                    .help("Size of HTTP response bodies written by the application, in bytes.")
                    .labelNames("method", "path").register(scratch);
            metrics.add(responseSize);
        } else {
            responseSize = null;
        }
    }

    /**
     * Registers every metric, or none.
     *
     * @throws IllegalArgumentException if the registry already has one of the names
     */
    void registerWith(CollectorRegistry target) {
        target.registerAll(metrics);
        registry = target;
    }

    /** Removes the metrics from the registry they were registered with. */
    void unregister() {
        if (registry != null) {
            metrics.forEach(registry::unregister);
            registry = null;
        }
    }

    /** True if response sizes are measured. */
    boolean measuresSize() {
        return responseSize != null;
    }

    void started(HttpMethod method) {
        inProgress(method).inc();
    }

    void ended(HttpMethod method) {
        inProgress(method).dec();
    }

    /**
     * Records a finished request; {@link #ended} has been called.
     *
     * @param bytes the body bytes the application wrote; ignored unless sizes are measured
     */
    void finished(HttpMethod method, String path, int status, long startNanos, long bytes) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String m = method.name();
        if (durationHistogram != null) {
            durationHistogram.labels(m, path).observe(seconds);
        } else {
            durationSummary.labels(m, path).observe(seconds);
        }
        if (responseSize != null) {
            responseSize.labels(m, path).observe(bytes);
        }
        // Counted last: whoever sees the request counted also sees its duration and size.
        requests.labels(m, path, status >= 100 && status < STATUS_LABELS.length ? STATUS_LABELS[status]
                : Integer.toString(status)).inc();
    }

    private Gauge.Child inProgress(HttpMethod method) {
        Gauge.Child child = inProgressByMethod[method.ordinal()];
        if (child == null) {
            // A race is harmless: labels() returns the same child, whose fields are final.
            child = inProgress.labels(method.name());
            inProgressByMethod[method.ordinal()] = child;
        }
        return child;
    }
}
