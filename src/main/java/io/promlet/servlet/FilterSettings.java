package io.promlet.servlet;

import io.promlet.CollectorRegistry;

/**
 * The options of a {@link MetricsFilter}, from its builder or its init-params, checked and compiled.
 *
 * @param registry           the registry given to the builder, or null to look in the servlet context
 * @param registryAttribute  the servlet-context attribute holding the registry, or null for the default one
 * @param requestsMetric     name of the request counter
 * @param durationMetric     name of the latency summary or histogram
 * @param inProgressMetric   name of the in-progress gauge
 * @param responseSizeMetric name of the response size summary, or null when sizes are not measured
 * @param quantiles          the latency summary's quantiles, possibly none
 * @param buckets            the latency histogram's buckets, or null for a summary
 * @param pathPatterns       the declared route templates
 * @param routeAttribute     the request attribute an application sets to name its route
 * @param pathComponents     how many leading path segments the fallback keeps; 0 for {@code UNMATCHED}
 * @param maxPaths           how many distinct routes before {@code OTHER}
 * @param excludePaths       templates of paths that are not measured
 * @param countScrapes       whether requests served by {@link MetricsServlet} are measured
 */
record FilterSettings(CollectorRegistry registry, String registryAttribute, String requestsMetric, String durationMetric,
                      String inProgressMetric, String responseSizeMetric, double[] quantiles, double[] buckets,
                      RouteTemplates pathPatterns, String routeAttribute, int pathComponents, int maxPaths,
                      RouteTemplates excludePaths, boolean countScrapes) {
}
