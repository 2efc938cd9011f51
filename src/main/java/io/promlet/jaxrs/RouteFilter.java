package io.promlet.jaxrs;

import io.promlet.servlet.MetricsFilter;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Names the route of a JAX-RS (Jakarta REST) request for {@link MetricsFilter}: the template of the resource method
 * it matched, as the code declares it, below the application's path. {@code GET /shop/api/orders/7/items/3} in the
 * web application {@code /shop} is {@code /api/orders/{id}/items/{itemId}}: the application path
 * ({@code @ApplicationPath} or the servlet mapping), the root resource's {@code @Path}, each sub-resource locator's
 * and the method's, parameter regexes left out ({@code {id: [0-9]+}} is {@code {id}}). The route goes into the
 * request attribute {@link MetricsFilter#ROUTE_ATTRIBUTE}, which is the servlet request's as JAX-RS shares request
 * properties with it. A request that no resource matched and that ends in 404 is {@code NOT_FOUND}, as the filter
 * labels other 404s; one that ends otherwise (405, 406, 415) keeps the filter's usual route, the servlet mapping.
 *
 * <p>The runtime finds this provider by itself where the application leaves the choice of classes to it (its
 * {@code Application} returns no classes, or there is none), as it finds every {@code @Provider} in
 * {@code WEB-INF/lib}. An application that lists its classes adds this one: {@code classes.add(RouteFilter.class)},
 * or {@code register(RouteFilter.class)} in a Jersey {@code ResourceConfig}. Keep {@code MetricsFilter}'s
 * {@code route-attribute} at its default.
 */
@Provider
public final class RouteFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** The filter's label of a 404 that matched nothing (its own fallback for 404s). */
    private static final String NOT_FOUND = "NOT_FOUND";

    @Context
    private ResourceInfo resource;
    @Context
    private ServletContext servletContext;

    /** Routes by resource method (or by chain of resource classes and method, after a locator). */
    private final ConcurrentMap<Object, Route> routes = new ConcurrentHashMap<>();

    /** A route as computed for one application base path. */
    private static final class Route {
        final String basePath;
        final String label;

        Route(String basePath, String label) {
            this.basePath = basePath;
            this.label = label;
        }
    }

    /** Created by the JAX-RS runtime, which then injects the request's resource information. */
    public RouteFilter() {
    }

    /** Names the route of a request that a resource method matched. */
    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || type == null) {
            return;
        }
        UriInfo uri = request.getUriInfo();
        String label = label(uri, method, chain(uri.getMatchedResources(), type));
        if (label != null) {
            request.setProperty(MetricsFilter.ROUTE_ATTRIBUTE, label);
        }
    }

    /** Labels a 404 that no resource method matched {@code NOT_FOUND}. */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 404 && request.getProperty(MetricsFilter.ROUTE_ATTRIBUTE) == null) {
            request.setProperty(MetricsFilter.ROUTE_ATTRIBUTE, NOT_FOUND);
        }
    }

    private String label(UriInfo uri, Method method, List<Class<?>> chain) {
        String basePath = uri.getBaseUri().getRawPath();
        Object key = chain.size() == 1 ? method : key(chain, method);
        Route cached = routes.get(key);
        if (cached != null && cached.basePath.equals(basePath)) {
            return cached.label;
        }
        List<String> candidates = ResourceTemplates.candidates(chain, method);
        if (candidates.isEmpty()) {
            return null;
        }
        String template = candidates.size() == 1 ? candidates.get(0) : matching(candidates, uri.getPath(false));
        String label = applicationPath(basePath) + "/" + PathTemplate.label(template);
        if (candidates.size() == 1) {
            routes.put(key, new Route(basePath, label));
        }
        return label;
    }

    /**
     * The classes of the matched resources, the root first, ending with {@code type} (the current resource instance
     * may or may not be among the matched ones yet; a container may have put a proxy subclass there).
     */
    private static List<Class<?>> chain(List<Object> matched, Class<?> type) {
        List<Class<?>> chain = new ArrayList<>(matched.size() + 1);
        for (int i = matched.size() - 1; i >= 0; i--) {
            chain.add(matched.get(i).getClass());
        }
        if (chain.isEmpty() || !type.isAssignableFrom(chain.get(chain.size() - 1))) {
            chain.add(type);
        }
        return chain;
    }

    private static Object key(List<Class<?>> chain, Method method) {
        List<Object> key = new ArrayList<>(chain);
        key.add(method);
        return key;
    }

    /**
     * Of several templates, the one whose pattern matches the request's path relative to the application (with or
     * without its leading slash; the first template if none matches).
     */
    static String matching(List<String> candidates, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        for (String candidate : candidates) {
            if (PathTemplate.pattern(candidate).matcher(relative).matches()) {
                return candidate;
            }
        }
        return candidates.get(0);
    }

    /** The application's path within the web application, without a trailing slash: {@code /api}, or empty. */
    private String applicationPath(String basePath) {
        String contextPath = servletContext == null ? "" : servletContext.getContextPath();
        String path = basePath.startsWith(contextPath) ? basePath.substring(contextPath.length()) : basePath;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
