package io.promlet.benchmarks;

import io.promlet.Summary;

/** Summary builders with the same quantiles and window in both libraries. */
final class Summaries {
    private static final long MAX_AGE_SECONDS = 600;
    private static final int AGE_BUCKETS = 5;

    private Summaries() {
    }

    static Summary.Builder promlet(String name, String... labelNames) {
        Summary.Builder b = Summary.builder().name(name).help("Latency.").labelNames(labelNames)
                .maxAgeSeconds(MAX_AGE_SECONDS).ageBuckets(AGE_BUCKETS);
        for (double q : Shapes.QUANTILES) {
            b.quantile(q);
        }
        return b;
    }

    static io.prometheus.metrics.core.metrics.Summary.Builder clientJava(String name, String... labelNames) {
        io.prometheus.metrics.core.metrics.Summary.Builder b = io.prometheus.metrics.core.metrics.Summary.builder()
                .name(name).help("Latency.").labelNames(labelNames).maxAgeSeconds(MAX_AGE_SECONDS)
                .numberOfAgeBuckets(AGE_BUCKETS);
        b.withoutExemplars();
        for (double q : Shapes.QUANTILES) {
            b.quantile(q);
        }
        return b;
    }
}
