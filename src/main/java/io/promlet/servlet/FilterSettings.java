package io.promlet.servlet;

import io.promlet.CollectorRegistry;

/**
 * The options of a {@link MetricsFilter}, from its builder or its init-params, checked and compiled.
 */
final class FilterSettings {
    final CollectorRegistry registry;
    final String registryAttribute;
    final String requestsMetric;
    final String durationMetric;
    final String inProgressMetric;
    final String responseSizeMetric;
    final double[] quantiles;
    final double[] buckets;
    final boolean nativeHistogram;
    final RouteTemplates pathPatterns;
    final String routeAttribute;
    final int pathComponents;
    final int maxPaths;
    final RouteTemplates excludePaths;
    final boolean countScrapes;
    final boolean exemplars;

    /**
     * @param registry           the registry given to the builder, or null to look in the servlet context
     * @param registryAttribute  the servlet-context attribute holding the registry, or null for the default one
     * @param requestsMetric     name of the request counter
     * @param durationMetric     name of the latency summary or histogram
     * @param inProgressMetric   name of the in-progress gauge
     * @param responseSizeMetric name of the response size summary, or null when sizes are not measured
     * @param quantiles          the latency summary's quantiles, possibly none
     * @param buckets            the latency histogram's classic buckets, or null for none
     * @param nativeHistogram    whether the latency histogram has native buckets; with no classic ones either, it is a summary
     * @param pathPatterns       the declared route templates
     * @param routeAttribute     the request attribute an application sets to name its route
     * @param pathComponents     how many leading path segments the fallback keeps; 0 for {@code UNMATCHED}
     * @param maxPaths           how many distinct routes before {@code OTHER}
     * @param excludePaths       templates of paths that are not measured
     * @param countScrapes       whether requests served by {@link MetricsServlet} are measured
     * @param exemplars          whether the request counter and the latency histogram take exemplars of sampled traces
     */
    FilterSettings(CollectorRegistry registry, String registryAttribute, String requestsMetric, String durationMetric,
                   String inProgressMetric, String responseSizeMetric, double[] quantiles, double[] buckets,
                   boolean nativeHistogram,
                   RouteTemplates pathPatterns, String routeAttribute, int pathComponents, int maxPaths,
                   RouteTemplates excludePaths, boolean countScrapes, boolean exemplars) {
        this.registry = registry;
        this.registryAttribute = registryAttribute;
        this.requestsMetric = requestsMetric;
        this.durationMetric = durationMetric;
        this.inProgressMetric = inProgressMetric;
        this.responseSizeMetric = responseSizeMetric;
        this.quantiles = quantiles;
        this.buckets = buckets;
        this.nativeHistogram = nativeHistogram;
        this.pathPatterns = pathPatterns;
        this.routeAttribute = routeAttribute;
        this.pathComponents = pathComponents;
        this.maxPaths = maxPaths;
        this.excludePaths = excludePaths;
        this.countScrapes = countScrapes;
        this.exemplars = exemplars;
    }
}
