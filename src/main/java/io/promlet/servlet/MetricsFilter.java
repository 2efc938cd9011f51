package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.internal.RequestTraceparent;
import io.promlet.internal.Traceparent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures every HTTP request of a web application:
 * <ul>
 *   <li>{@code http_requests_total{method, path, status}}: a counter, counted when the request ends;
 *   <li>{@code http_request_duration_seconds{method, path}}: a summary with count, sum and the quantiles 0.5,
 *       0.9 and 0.99 over a sliding window, or a histogram when buckets are given or {@code native-histogram} is
 *       true (native buckets, and the given classic ones too);
 *   <li>{@code http_requests_in_progress{method}}: a gauge;
 *   <li>{@code http_response_size_bytes{method, path}} (opt-in): a summary of the body bytes the application
 *       wrote.
 * </ul>
 * Declared in {@code web.xml} (the filter measures on the REQUEST dispatch; mapping it to the other dispatcher
 * types too is harmless, each request is still counted exactly once):
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>metrics</filter-name>
 *   <filter-class>io.promlet.servlet.MetricsFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param>
 *     <param-name>path-patterns</param-name>
 *     <param-value>/users/{id}, /orders/{id}/items/{itemId}, /static/**</param-value>
 *   </init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>metrics</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 *   <dispatcher>FORWARD</dispatcher>
 *   <dispatcher>INCLUDE</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * or in code, for {@code ServletContext.addFilter} and frameworks such as Spring Boot:
 *
 * <pre>{@code
 * MetricsFilter filter = MetricsFilter.builder().pathPatterns("/users/{id}").maxPaths(200).registry(registry).build();
 * context.addFilter("metrics", filter).addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
 * }</pre>
 *
 * <p>Each init-param {@code <key>} can also be given outside the WAR, as the context-param or system property
 * {@code promlet.<key>}, the environment variable {@code PROMLET_<KEY>} or the key {@code promlet.<key>} of
 * {@code promlet.properties}; the init-param wins (docs/configuration.md lists them all).
 *
 * <p>The {@code path} label is a route, never the raw URI: a template the application or Spring MVC put in a
 * request attribute; else the most specific template of {@code path-patterns}; else the servlet mapping
 * ({@code /hello}, {@code /api/*}, {@code *.jsp}, {@code /} for the context root); else {@code NOT_FOUND} for
 * 404, {@code REDIRECTION} for 3xx, and otherwise the first {@code path-components} segments of the path or
 * {@code UNMATCHED}. Beyond {@code max-paths} distinct routes, new ones count as {@code OTHER}; methods outside
 * the standard nine count as {@code OTHER}.
 *
 * <p>While a sampled trace is current (the OpenTelemetry agent's or API's span, else the request's W3C
 * {@code traceparent} header if its sampled flag is set, which the filter makes the thread's trace for the time of
 * the request), the request counter and a latency histogram take exemplars of it; a summary cannot carry them.
 * Init-param {@code exemplars} false switches them off.
 *
 * <p>An exception that escapes the application before the response is committed counts as status 500 and is
 * rethrown unchanged. A request that goes async is recorded when it completes, with its final status. Requests
 * served by {@link MetricsServlet} are not measured unless {@code count-scrapes} is true. A fault while
 * recording is logged and never reaches the application. If the registry already has one of the filter's
 * metric names (another filter instance, or any other collector), {@code init} logs an error and the filter
 * passes requests through unmeasured; {@code destroy} unregisters the filter's metrics. One instance
 * registered twice fails its second {@code init} with a {@code ServletException}, as it would count each
 * request twice.
 */
public final class MetricsFilter implements Filter {
    /**
     * The request attribute an application sets to name the route of a request, such as {@code /users/{id}},
     * unless {@code route-attribute} names another one.
     */
    public static final String ROUTE_ATTRIBUTE = "io.promlet.servlet.route";

    private static final System.Logger LOG = System.getLogger(MetricsFilter.class.getName());

    private final FilterSettings preset;
    /** Registered by {@link AutoRegistration}: then it stands down for a MetricsFilter the application registers itself. */
    private final boolean automatic;
    private final AtomicBoolean faultLogged = new AtomicBoolean();
    private String name = "metrics";
    private volatile HttpMetrics metrics;
    private RouteResolver routes;
    private RouteTemplates excluded;
    private String[] scrapeServlets;
    private boolean exemplars;
    /** Set by init, cleared by destroy: a second init would run the filter twice per request if it is mapped twice. */
    private boolean initialised;

    /** The filter as {@code web.xml} declares it: configured by its init-params. */
    public MetricsFilter() {
        this(null, false);
    }

    private MetricsFilter(FilterSettings settings, boolean automatic) {
        this.preset = settings;
        this.automatic = automatic;
    }

    /** The filter {@link AutoRegistration} adds: configured by the application's settings, and giving way to its own. */
    static MetricsFilter automatic() {
        return new MetricsFilter(null, true);
    }

    /** A builder for a filter configured in code; a filter built this way ignores init-params. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the configuration and registers the metrics.
     *
     * @throws ServletException if an init-param is malformed, the {@code registry} attribute is missing, or this
     *                          instance is initialised already (registered twice, so it would count each request twice)
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (initialised) {
            throw new ServletException("MetricsFilter " + name + " is initialised already: init was called again (as "
                    + config.getFilterName() + ") without destroy, so the instance is registered twice and would count "
                    + "each request twice; register it once, or give each registration its own instance");
        }
        name = config.getFilterName();
        ServletContext context = config.getServletContext();
        if (automatic && declaredElsewhere(context)) {
            LOG.log(System.Logger.Level.INFO, "MetricsFilter {0} (registered automatically) measures nothing: the "
                    + "application registers a MetricsFilter itself", name);
            return;
        }
        FilterSettings settings;
        CollectorRegistry registry;
        try {
            if (preset != null) {
                settings = preset;
            } else {
                settings = Builder.from(Settings.of(context).withInitParams("MetricsFilter " + name,
                        config.getInitParameterNames(), config::getInitParameter, Settings.FILTER_KEYS)).settings();
            }
            registry = settings.registry != null ? settings.registry
                    : ContextRegistry.find(context, settings.registryAttribute, CollectorRegistry.defaultRegistry());
        } catch (IllegalArgumentException e) {
            throw new ServletException("MetricsFilter " + name + ": " + e.getMessage(), e);
        }
        initialised = true;
        HttpMetrics created = new HttpMetrics(settings);
        try {
            created.registerWith(registry);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "MetricsFilter " + name + " measures nothing: " + e.getMessage()
                    + ". Is another MetricsFilter using the same registry? Give each its own registry or its own "
                    + "metric names (init-params requests-metric, duration-metric, ...).", e);
            return;
        }
        routes = new RouteResolver(settings.routeAttribute, settings.pathPatterns, settings.pathComponents,
                new RouteLimit(settings.maxPaths, name));
        excluded = settings.excludePaths;
        scrapeServlets = settings.countScrapes ? new String[0] : scrapeServletNames(context);
        exemplars = settings.exemplars;
        metrics = created;
    }

    /** Whether another registration of this context is a MetricsFilter, as when the application declares its own. */
    private boolean declaredElsewhere(ServletContext context) {
        return context.getFilterRegistrations().values().stream()
                .anyMatch(r -> MetricsFilter.class.getName().equals(r.getClassName()) && !name.equals(r.getName()));
    }

    private String[] scrapeServletNames(ServletContext context) {
        List<String> names = new ArrayList<>();
        try {
            for (ServletRegistration r : context.getServletRegistrations().values()) {
                if (MetricsServlet.class.getName().equals(r.getClassName())) {
                    names.add(r.getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "MetricsFilter " + name + ": cannot list the servlets, so scrapes are "
                    + "measured too; exclude them with exclude-paths", e);
        }
        return names.toArray(new String[0]);
    }

    /**
     * Measures the request on its REQUEST dispatch, unless it is excluded. FORWARD, INCLUDE and ERROR dispatches
     * are part of a request already being measured, and an ASYNC dispatch continues a request whose listener,
     * added on its REQUEST dispatch, records it when it completes. So a filter mapped to every dispatcher type
     * counts each request once without marking it (a request attribute costs an allocation per request on Jetty).
     */
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpMetrics m = metrics;
        if (m == null || request.getDispatcherType() != DispatcherType.REQUEST
                || !(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        long start = System.nanoTime();
        HttpMethod method = null;
        String entryRoute = null;
        try {
            if (!isExcluded(req)) {
                entryRoute = routes.atEntry(req);
                HttpMethod candidate = HttpMethod.of(req.getMethod());
                m.started(candidate);
                method = candidate;
            }
        } catch (RuntimeException e) {
            fault(e);
        }
        if (method == null) {
            chain.doFilter(request, response);
            return;
        }
        CountingResponse counting = m.measuresSize() ? new CountingResponse(resp) : null;
        String traceparent = exemplars ? Traceparent.sampledOrNull(req.getHeader("traceparent")) : null;
        if (traceparent != null) {
            RequestTraceparent.set(traceparent);
        }
        boolean failed = true;
        try {
            if (counting != null) {
                chain.doFilter(counting.requestFor(req), counting);
            } else {
                chain.doFilter(req, resp);
            }
            failed = false;
        } finally {
            finish(req, resp, counting, method, entryRoute, start, failed, traceparent);
            if (traceparent != null) {
                RequestTraceparent.set(null);
            }
        }
    }

    private boolean isExcluded(HttpServletRequest request) {
        if (scrapeServlets.length > 0) {
            HttpServletMapping mapping = request.getHttpServletMapping();
            String servlet = mapping == null ? null : mapping.getServletName();
            for (String s : scrapeServlets) {
                if (s.equals(servlet)) {
                    return true;
                }
            }
        }
        return !excluded.isEmpty() && excluded.match(request.getServletPath(), request.getPathInfo()) != null;
    }

    private void finish(HttpServletRequest request, HttpServletResponse response, CountingResponse counting,
                        HttpMethod method, String entryRoute, long start, boolean failed, String traceparent) {
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(
                        new AsyncCompletion(this, request, response, counting, method, entryRoute, start, traceparent));
                return;
            }
            // An exception on its way to the container becomes a 500, unless the client already got a status.
            int status = failed && !response.isCommitted() ? 500 : response.getStatus();
            record(request, counting, method, entryRoute, start, status);
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    void record(HttpServletRequest request, CountingResponse counting, HttpMethod method, String entryRoute,
                long start, int status) {
        HttpMetrics m = metrics;
        if (m == null) {
            return; // destroyed while an async request was still running
        }
        try {
            String route;
            try {
                route = routes.atEnd(request, entryRoute, status);
            } finally {
                m.ended(method);
            }
            m.finished(method, route, status, start, counting == null ? 0 : counting.bytes());
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    private void fault(RuntimeException e) {
        // Logged in full once; after that only at DEBUG, so a recurring fault cannot flood the log.
        boolean first = faultLogged.compareAndSet(false, true);
        LOG.log(first ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                "MetricsFilter " + name + ": failed to record a request; the request goes on", e);
    }

    /** Unregisters the filter's metrics, so a redeployed application can register them again. */
    @Override
    public void destroy() {
        initialised = false;
        HttpMetrics m = metrics;
        metrics = null;
        if (m != null) {
            m.unregister();
        }
    }

    /**
     * Configures a {@link MetricsFilter} in code, with the same options as the init-params. The names of the
     * init-params are given with each method.
     *
     * <pre>{@code
     * MetricsFilter filter = MetricsFilter.builder()
     *         .registry(registry)
     *         .pathPatterns("/users/{id}", "/orders/{id}/items/{itemId}", "/static/**")
     *         .buckets(0.01, 0.1, 1, 10)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private CollectorRegistry registry;
        private String registryAttribute;
        private String requestsMetric = "http_requests_total";
        private String durationMetric = "http_request_duration_seconds";
        private String inProgressMetric = "http_requests_in_progress";
        private String responseSizeMetric = "http_response_size_bytes";
        private boolean responseSize;
        private double[] quantiles = {0.5, 0.9, 0.99};
        private double[] buckets;
        private boolean nativeHistogram;
        private List<String> pathPatterns = List.of();
        private String routeAttribute = ROUTE_ATTRIBUTE;
        private int pathComponents;
        private int maxPaths = 500;
        private List<String> excludePaths = List.of();
        private boolean countScrapes;
        private boolean exemplars = true;

        private Builder() {
        }

        static Builder from(Settings params) {
            Builder b = new Builder();
            b.registryAttribute = params.string("registry");
            b.requestsMetric = orElse(params.string("requests-metric"), b.requestsMetric);
            b.durationMetric = orElse(params.string("duration-metric"), b.durationMetric);
            b.inProgressMetric = orElse(params.string("in-progress-metric"), b.inProgressMetric);
            b.responseSizeMetric = orElse(params.string("response-size-metric"), b.responseSizeMetric);
            b.responseSize = orElse(params.bool("response-size"), false);
            b.quantiles = orElse(params.numbers("quantiles"), b.quantiles);
            b.buckets = params.numbers("buckets");
            b.nativeHistogram = orElse(params.bool("native-histogram"), false);
            b.pathPatterns = orElse(params.list("path-patterns"), b.pathPatterns);
            b.routeAttribute = orElse(params.string("route-attribute"), b.routeAttribute);
            b.pathComponents = orElse(params.integer("path-components"), 0);
            b.maxPaths = orElse(params.integer("max-paths"), b.maxPaths);
            b.excludePaths = orElse(params.list("exclude-paths"), b.excludePaths);
            b.countScrapes = orElse(params.bool("count-scrapes"), false);
            b.exemplars = orElse(params.bool("exemplars"), true);
            return b;
        }

        private static <T> T orElse(T value, T otherwise) {
            return value != null ? value : otherwise;
        }

        /** The registry to register with. Unless set: the context attribute {@code registry} names, else the default registry. */
        public Builder registry(CollectorRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** {@code registry}: the servlet-context attribute that holds the registry, for when it is set up elsewhere. */
        public Builder registryAttribute(String attribute) {
            this.registryAttribute = Objects.requireNonNull(attribute, "registryAttribute");
            return this;
        }

        /** {@code path-patterns}: route templates such as {@code /users/{id}} or {@code /static/**}; the most specific match wins. */
        public Builder pathPatterns(String... templates) {
            this.pathPatterns = List.of(templates);
            return this;
        }

        /** {@code route-attribute}: the request attribute an application sets to name the route; {@link #ROUTE_ATTRIBUTE} unless set. */
        public Builder routeAttribute(String attribute) {
            this.routeAttribute = Objects.requireNonNull(attribute, "routeAttribute");
            return this;
        }

        /** {@code path-components}: for requests with no route, label the first n path segments instead of {@code UNMATCHED}. */
        public Builder pathComponents(int n) {
            this.pathComponents = n;
            return this;
        }

        /** {@code max-paths}: distinct routes before new ones count as {@code OTHER}; 500 unless set. */
        public Builder maxPaths(int max) {
            this.maxPaths = max;
            return this;
        }

        /** {@code exclude-paths}: templates of paths not to measure, such as {@code /health}. */
        public Builder excludePaths(String... templates) {
            this.excludePaths = List.of(templates);
            return this;
        }

        /** {@code count-scrapes}: also measure the requests that {@link MetricsServlet} serves; false unless set. */
        public Builder countScrapes(boolean count) {
            this.countScrapes = count;
            return this;
        }

        /**
         * {@code exemplars}: whether the request counter and the latency histogram take exemplars ({@code trace_id},
         * {@code span_id}) of sampled traces: the OpenTelemetry agent's or API's current span, else the request's
         * W3C {@code traceparent} header if its sampled flag is set. A summary, the default latency metric, cannot
         * carry exemplars: give {@link #buckets} or {@link #nativeHistogram} for exemplars on latencies. True unless
         * set; off, the filter does not read the header.
         */
        public Builder exemplars(boolean exemplars) {
            this.exemplars = exemplars;
            return this;
        }

        /** {@code quantiles}: the latency summary's quantiles; none for count and sum only. 0.5, 0.9, 0.99 unless set. */
        public Builder quantiles(double... quantiles) {
            this.quantiles = quantiles.clone();
            return this;
        }

        /** {@code buckets}: make the latency a histogram with these bucket upper bounds, in seconds. */
        public Builder buckets(double... upperBounds) {
            this.buckets = upperBounds.clone();
            return this;
        }

        /**
         * {@code native-histogram}: make the latency a histogram with native buckets, which a Prometheus server that
         * scrapes the protobuf format aggregates across instances at any quantile; with {@link #buckets} it has those
         * classic buckets too. False unless set.
         *
         * <pre>{@code
         * MetricsFilter.builder().nativeHistogram(true).buckets(0.01, 0.1, 1, 10).build();
         * }</pre>
         */
        public Builder nativeHistogram(boolean nativeHistogram) {
            this.nativeHistogram = nativeHistogram;
            return this;
        }

        /** {@code response-size}: also measure the body bytes the application writes; false unless set. */
        public Builder responseSize(boolean measure) {
            this.responseSize = measure;
            return this;
        }

        /** {@code requests-metric}: {@code http_requests_total} unless set. */
        public Builder requestsMetric(String name) {
            this.requestsMetric = Objects.requireNonNull(name, "requestsMetric");
            return this;
        }

        /** {@code duration-metric}: {@code http_request_duration_seconds} unless set. */
        public Builder durationMetric(String name) {
            this.durationMetric = Objects.requireNonNull(name, "durationMetric");
            return this;
        }

        /** {@code in-progress-metric}: {@code http_requests_in_progress} unless set. */
        public Builder inProgressMetric(String name) {
            this.inProgressMetric = Objects.requireNonNull(name, "inProgressMetric");
            return this;
        }

        /** {@code response-size-metric}: {@code http_response_size_bytes} unless set; used with {@link #responseSize}. */
        public Builder responseSizeMetric(String name) {
            this.responseSizeMetric = Objects.requireNonNull(name, "responseSizeMetric");
            return this;
        }

        /**
         * The filter, to be added to a servlet context.
         *
         * @throws IllegalArgumentException if an option is invalid: a malformed template, a metric name,
         *                                  quantile or bucket list the metrics reject, a negative number
         */
        public MetricsFilter build() {
            return new MetricsFilter(settings(), false);
        }

        FilterSettings settings() {
            if (pathComponents < 0) {
                throw new IllegalArgumentException("path-components must not be negative, got " + pathComponents);
            }
            if (maxPaths < 0) {
                throw new IllegalArgumentException("max-paths must not be negative, got " + maxPaths);
            }
            FilterSettings settings = new FilterSettings(registry, registryAttribute, requestsMetric, durationMetric,
                    inProgressMetric, responseSize ? responseSizeMetric : null, quantiles.clone(),
                    buckets == null ? null : buckets.clone(), nativeHistogram,
                    RouteTemplates.compile("path-patterns", pathPatterns), routeAttribute, pathComponents, maxPaths,
                    RouteTemplates.compile("exclude-paths", excludePaths), countScrapes, exemplars);
            new HttpMetrics(settings); // validates names, quantiles and buckets now rather than at init
            return settings;
        }
    }
}
