package io.promlet.servlet;

import io.promlet.CollectorRegistry;

/**
 * The options of a {@link MetricsFilter}, from its builder or its init-params, checked and compiled.
 */
final class FilterSettings {
    private final CollectorRegistry registry;
    private final String registryAttribute;
    private final String requestsMetric;
    private final String durationMetric;
    private final String inProgressMetric;
    private final String responseSizeMetric;
    private final double[] quantiles;
    private final double[] buckets;
    private final boolean nativeHistogram;
    private final RouteTemplates pathPatterns;
    private final String routeAttribute;
    private final int pathComponents;
    private final int maxPaths;
    private final RouteTemplates excludePaths;
    private final boolean countScrapes;

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
     */
    FilterSettings(CollectorRegistry registry, String registryAttribute, String requestsMetric, String durationMetric,
                   String inProgressMetric, String responseSizeMetric, double[] quantiles, double[] buckets,
                   boolean nativeHistogram,
                   RouteTemplates pathPatterns, String routeAttribute, int pathComponents, int maxPaths,
                   RouteTemplates excludePaths, boolean countScrapes) {
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
    }

    CollectorRegistry registry() {
        return registry;
    }

    String registryAttribute() {
        return registryAttribute;
    }

    String requestsMetric() {
        return requestsMetric;
    }

    String durationMetric() {
        return durationMetric;
    }

    String inProgressMetric() {
        return inProgressMetric;
    }

    String responseSizeMetric() {
        return responseSizeMetric;
    }

    double[] quantiles() {
        return quantiles;
    }

    double[] buckets() {
        return buckets;
    }

    boolean nativeHistogram() {
        return nativeHistogram;
    }

    RouteTemplates pathPatterns() {
        return pathPatterns;
    }

    String routeAttribute() {
        return routeAttribute;
    }

    int pathComponents() {
        return pathComponents;
    }

    int maxPaths() {
        return maxPaths;
    }

    RouteTemplates excludePaths() {
        return excludePaths;
    }

    boolean countScrapes() {
        return countScrapes;
    }
}
