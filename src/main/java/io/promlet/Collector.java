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
 * and then on every scrape. It may be called from several threads at once. A collector whose families are known
 * only at scrape time (files, another system, a cache that starts empty) says so with {@link #sampleNamesKnown()}.
 */
@FunctionalInterface
public interface Collector {
    /** The current families; each call builds new ones. */
    List<MetricFamily> collect();

    /**
     * Whether {@link #collect()} at registration shows every sample name this collector will ever expose. Return
     * false where families come and go at scrape time: the registry then neither collects it at registration nor
     * reserves its names, and collects it for every filtered scrape ({@code name[]}) and
     * {@link CollectorRegistry#getSampleValue}. A collector that returns no family at registration is treated the
     * same way.
     *
     * <pre>{@code
     * registry.register(new Collector() {
     *     public List<MetricFamily> collect() { return remoteSystem.families(); }
     *     public boolean sampleNamesKnown() { return false; }
     * });
     * }</pre>
     */
    default boolean sampleNamesKnown() {
        return true;
    }
}
