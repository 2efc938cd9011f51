package io.promlet.servlet;

import io.promlet.Metric;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Turns a request into its low-cardinality {@code path} label, in this order:
 * <ol>
 *   <li>a route template the application or a framework put in a request attribute (the configured one,
 *       then Spring MVC's {@code bestMatchingPattern});
 *   <li>the most specific matching template of {@code path-patterns};
 *   <li>the servlet mapping: an exact pattern, {@code /api/*}, {@code *.jsp}, or {@code /} for the context
 *       root; the default servlet's {@code /} is not a route;
 *   <li>a fallback: {@code NOT_FOUND} for 404, {@code REDIRECTION} for 3xx, otherwise the first
 *       {@code path-components} segments of the path, or {@code UNMATCHED}.
 * </ol>
 * Every route except these constant fallbacks passes the {@link RouteLimit}. On the common path nothing
 * is allocated: templates and mapping patterns are existing strings.
 */
final class RouteResolver {
    static final String NOT_FOUND = "NOT_FOUND";
    static final String REDIRECTION = "REDIRECTION";
    static final String UNMATCHED = "UNMATCHED";
    /** The same value as a metric's overflow child has, so that both caps read alike. */
    static final String OTHER = Metric.OVERFLOW_LABEL_VALUE;
    static final String SPRING_PATTERN_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    private final String routeAttribute;
    private final RouteTemplates templates;
    private final int pathComponents;
    private final RouteLimit limit;

    RouteResolver(String routeAttribute, RouteTemplates templates, int pathComponents, RouteLimit limit) {
        this.routeAttribute = routeAttribute;
        this.templates = templates;
        this.pathComponents = pathComponents;
        this.limit = limit;
    }

    /**
     * The route known when the request arrives (a template or the servlet mapping), or null. Taken at the
     * first dispatch, before forwards and async dispatches change the request's paths.
     */
    String atEntry(HttpServletRequest request) {
        String template = templates.match(request.getServletPath(), request.getPathInfo());
        if (template != null) {
            return template;
        }
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping == null || mapping.getMappingMatch() == null) {
            return null;
        }
        switch (mapping.getMappingMatch()) {
            case CONTEXT_ROOT:
                return "/";
            case EXACT:
            case PATH:
            case EXTENSION:
                return mapping.getPattern();
            case DEFAULT:
            default: // a kind of match newer than Servlet 6.0: no route from the mapping, as for the default servlet
                return null;
        }
    }

    /** The final label, once the status is known and the application had its chance to name the route. */
    String atEnd(HttpServletRequest request, String entryRoute, int status) {
        String declared = declared(request);
        if (declared != null) {
            return limit.admit(declared);
        }
        if (entryRoute != null) {
            return limit.admit(entryRoute);
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status >= 300 && status < 400) {
            return REDIRECTION;
        }
        if (pathComponents <= 0) {
            return UNMATCHED;
        }
        return limit.admit(leadingSegments(nonNull(request.getServletPath()) + nonNull(request.getPathInfo()),
                pathComponents));
    }

    private String declared(HttpServletRequest request) {
        Object route = routeAttribute == null ? null : request.getAttribute(routeAttribute);
        if (route == null) {
            route = request.getAttribute(SPRING_PATTERN_ATTRIBUTE);
        }
        // Spring 6 stores a PathPattern, whose toString() is its pattern text.
        String text = route == null ? null : route.toString();
        return text == null || text.isEmpty() ? null : text;
    }

    /** The first {@code n} segments: {@code /a/b/c} with 2 is {@code /a/b}. */
    static String leadingSegments(String path, int n) {
        if (path.isEmpty() || path.equals("/")) {
            return "/";
        }
        int slashes = 0;
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++slashes == n) {
                return path.substring(0, i);
            }
        }
        return path;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
