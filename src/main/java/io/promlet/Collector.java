package io.promlet;

import io.promlet.model.MetricFamily;

import java.util.List;

/**
 * Anything that yields metric families at scrape time: every built-in metric, and custom collectors that
 * read values from elsewhere (a cache, a pool, another system).
 *
 * <pre>{@code
 * registry.register(() -> {
 *     GaugeMetricFamily size = new GaugeMetricFamily("cache_entries", "Entries in the cache.", List.of("cache"));
 *     size.addMetric(List.of("users"), userCache.size());
 *     return List.of(size);
 * });
 * }</pre>
 *
 * <p>{@code collect()} is called once at registration, to learn which sample names the collector uses,
 * and then on every scrape. It may be called from several threads at once.
 */
@FunctionalInterface
public interface Collector {
    /** The current families; each call builds new ones. */
    List<MetricFamily> collect();
}
