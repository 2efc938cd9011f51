package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.Gauge;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.promlet.servlet.Samples.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filter configured in code and by init-params, on embedded Jetty 12 contexts built per test. */
class MetricsFilterTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<LogRecord> log = new ArrayList<>();
    private final Logger filterLogger = Logger.getLogger(MetricsFilter.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (log) {
                log.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private JettyApp app;

    @BeforeEach
    void captureLog() {
        filterLogger.addHandler(capture);
    }

    @AfterEach
    void stop() throws Exception {
        filterLogger.removeHandler(capture);
        if (app != null) {
            app.close();
        }
    }

    /** A servlet answering 200 "ok", or as the handler says. */
    private static HttpServlet servlet(Handling handling) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                handling.handle(req, resp);
            }
        };
    }

    @FunctionalInterface
    private interface Handling {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
    }

    private static final HttpServlet OK = servlet((req, resp) -> resp.getWriter().write("ok"));

    private static ServletContextHandler context(Map<String, HttpServlet> servlets) {
        ServletContextHandler context = new ServletContextHandler("/");
        servlets.forEach((pattern, servlet) -> context.addServlet(new ServletHolder(servlet), pattern));
        return context;
    }

    private void start(MetricsFilter filter, Map<String, HttpServlet> servlets) throws Exception {
        ServletContextHandler context = context(servlets);
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
        app = JettyApp.start(context);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(app.base() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private List<String> logged(Level level, String containing) {
        synchronized (log) {
            return log.stream().filter(r -> r.getLevel().equals(level))
                    .map(r -> r.getMessage() + (r.getParameters() == null ? "" : List.of(r.getParameters())))
                    .filter(m -> m.contains(containing)).toList();
        }
    }

    @Test
    void maxPathsTurnsFurtherNewRoutesIntoOtherKeepsTotalsAndWarnsOnce() throws Exception {
        start(MetricsFilter.builder().registry(registry).pathComponents(1).maxPaths(5).build(), Map.of("/", OK));
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/p" + i + "/detail").statusCode());
            expected.merge(key("GET", i < 5 ? "/p" + i : "OTHER", "200"), 1.0, Double::sum);
        }
        assertEquals(200, get("/p0/again").statusCode());
        expected.merge(key("GET", "/p0", "200"), 1.0, Double::sum);
        Poll.awaitEquals(expected, () -> Samples.all(registry, "http_requests_total"), "series");
        assertEquals(21, Samples.totalRequests(registry));
        assertEquals(6, Samples.all(registry, "http_request_duration_seconds_count").size());
        assertEquals(1, logged(Level.WARNING, "max-paths").size(), "one warning");
    }

    @Test
    void withoutPathComponentsUnroutedRequestsAreUnmatched() throws Exception {
        start(MetricsFilter.builder().registry(registry).build(), Map.of("/", OK,
                "/moved", servlet((req, resp) -> resp.sendRedirect("/elsewhere"))));
        get("/a/b");
        get("/c");
        get("/moved");
        Poll.awaitEquals(Map.of(key("GET", "UNMATCHED", "200"), 2.0, key("GET", "/moved", "302"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }

    @Test
    void fallbackKeepsLeadingSegmentsWithoutPathParameters() throws Exception {
        start(MetricsFilter.builder().registry(registry).pathComponents(2).build(), Map.of("/", OK));
        get("/a;jsessionid=XYZ/b;v=1/c/d");
        get("/a/b");
        get("/x;jsessionid=XYZ");
        get("/");
        Poll.awaitEquals(Map.of(key("GET", "/a/b", "200"), 2.0, key("GET", "/x", "200"), 1.0,
                        key("GET", "/", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }

    @Test
    void redirectsWithoutRouteAreRedirection() throws Exception {
        ServletContextHandler context = context(Map.of("/", OK));
        context.addFilter(new FilterHolder(MetricsFilter.builder().registry(registry).pathComponents(3).build()),
                "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder((req, resp, chain) -> ((HttpServletResponse) resp).sendRedirect("/x")),
                "/old/*", EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        assertEquals(302, get("/old/1").statusCode());
        assertEquals(302, get("/old/2").statusCode());
        Poll.awaitEquals(Map.of(key("GET", "REDIRECTION", "302"), 2.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }

    @Test
    void routeAttributesWinOverTemplatesAndSpringsPatternIsReadOutOfTheBox() throws Exception {
        Object pathPattern = new Object() {
            @Override
            public String toString() {
                return "/spring/{id}";
            }
        };
        start(MetricsFilter.builder().registry(registry).routeAttribute("my.route").pathPatterns("/mine/{x}").build(),
                Map.of("/mine/*", servlet((req, resp) -> req.setAttribute("my.route", "/mine/{name}")),
                        "/spring/*", servlet((req, resp) -> req.setAttribute(
                                "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern", pathPattern)),
                        "/legacy/*", servlet((req, resp) -> req.setAttribute(MetricsFilter.ROUTE_ATTRIBUTE, "/legacy/{x}"))));
        get("/mine/1");
        get("/spring/2");
        get("/spring/3");
        get("/legacy/4");
        Poll.awaitEquals(Map.of(key("GET", "/mine/{name}", "200"), 1.0, key("GET", "/spring/{id}", "200"), 2.0,
                        key("GET", "/legacy/*", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "the default attribute is not read when another is named");
    }

    @Test
    void aRequestThatGoesAsyncTwiceIsCountedOnceWhenItFinallyCompletes() throws Exception {
        for (EnumSet<DispatcherType> dispatchers : List.of(EnumSet.allOf(DispatcherType.class),
                EnumSet.of(DispatcherType.REQUEST))) {
            CollectorRegistry registry = new CollectorRegistry();
            ServletContextHandler context = context(Map.of());
            ServletHolder twice = new ServletHolder(servlet((req, resp) -> {
                boolean second = req.getDispatcherType() == DispatcherType.ASYNC;
                AsyncContext async = req.startAsync();
                CompletableFuture.delayedExecutor(60, TimeUnit.MILLISECONDS).execute(() -> {
                    if (!second) {
                        async.dispatch();
                        return;
                    }
                    try {
                        async.getResponse().getWriter().write("done");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        async.complete();
                    }
                });
            }));
            twice.setAsyncSupported(true);
            context.addServlet(twice, "/twice");
            FilterHolder holder = new FilterHolder(MetricsFilter.builder().registry(registry).build());
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", dispatchers);
            app = JettyApp.start(context);
            HttpResponse<String> r = get("/twice");
            assertEquals("done", r.body());
            Poll.awaitEquals(Map.of(key("GET", "/twice", "200"), 1.0),
                    () -> Samples.all(registry, "http_requests_total"), dispatchers.toString());
            double seconds = Samples.byRoute(registry, "http_request_duration_seconds_sum", "GET", "/twice");
            assertTrue(seconds >= 0.12, "both async cycles are timed: " + seconds);
            assertEquals(0.0, registry.getSampleValue("http_requests_in_progress", new String[] {"method"},
                    new String[] {"GET"}));
            app.close();
            app = null;
        }
    }

    @Test
    void aForwardedRequestIsCountedOnceWithoutTheFilterAddingRequestAttributes() throws Exception {
        List<String> attributes = new ArrayList<>();
        start(MetricsFilter.builder().registry(registry).build(), Map.of(
                "/from", servlet((req, resp) -> {
                    try {
                        req.getRequestDispatcher("/to").forward(req, resp);
                    } catch (ServletException e) {
                        throw new IOException(e);
                    }
                }),
                "/to", servlet((req, resp) -> {
                    synchronized (attributes) {
                        Collections.list(req.getAttributeNames()).stream()
                                .filter(name -> name.startsWith("io.promlet")).forEach(attributes::add);
                    }
                    resp.getWriter().write("forwarded");
                })));
        assertEquals("forwarded", get("/from").body());
        Poll.awaitEquals(Map.of(key("GET", "/from", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "the FORWARD dispatch is part of the request");
        synchronized (attributes) {
            assertEquals(List.of(), attributes, "the filter marks nothing on the request");
        }
    }

    @Test
    void unknownMethodsAreOther() throws Exception {
        start(MetricsFilter.builder().registry(registry).build(), Map.of("/r", OK));
        for (String method : new String[] {"GET", "get", "PATCH", "PROPFIND", "OPTIONS"}) {
            assertEquals(200, send(method, "/r").statusCode(), method);
        }
        Poll.awaitEquals(Map.of(key("GET", "/r", "200"), 1.0, key("OTHER", "/r", "200"), 2.0,
                        key("PATCH", "/r", "200"), 1.0, key("OPTIONS", "/r", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }

    @Test
    void excludedPathsAreNotMeasured() throws Exception {
        start(MetricsFilter.builder().registry(registry).excludePaths("/health", "/internal/**").build(),
                Map.of("/", OK));
        get("/health");
        get("/internal/a/b");
        get("/healthy");
        Poll.awaitEquals(Map.of(key("GET", "UNMATCHED", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "only /healthy");
        assertEquals(0.0, registry.getSampleValue("http_requests_in_progress", new String[] {"method"}, new String[] {"GET"}));
    }

    @Test
    void anExceptionAfterTheResponseIsCommittedKeepsTheCommittedStatus() throws Exception {
        start(MetricsFilter.builder().registry(registry).build(), Map.of(
                "/late", servlet((req, resp) -> {
                    resp.setStatus(202);
                    resp.getWriter().write("partial");
                    resp.flushBuffer();
                    throw new IllegalStateException("after commit");
                }),
                "/early", servlet((req, resp) -> {
                    resp.setStatus(202);
                    throw new IOException("before commit");
                })));
        try {
            assertEquals(202, get("/late").statusCode());
        } catch (IOException e) {
            // Jetty aborts a committed chunked response when the application fails: the client got 202 and a broken body.
        }
        assertEquals(500, get("/early").statusCode());
        Poll.awaitEquals(Map.of(key("GET", "/late", "202"), 1.0, key("GET", "/early", "500"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }

    @Test
    void aRegistryThatAlreadyHasTheNamesLeavesRequestsWorking() throws Exception {
        Gauge squatter = Gauge.builder().name("http_requests_total").help("Not ours.").register(registry);
        start(MetricsFilter.builder().registry(registry).build(), Map.of("/", OK));
        HttpResponse<String> r = get("/anything");
        assertEquals(200, r.statusCode());
        assertEquals("ok", r.body());
        assertEquals(List.of(squatter.name()), registry.collect().stream().map(f -> f.name()).toList(),
                "nothing of the filter half-registered");
        assertEquals(1, logged(Level.SEVERE, "measures nothing").size());
    }

    @Test
    void twoFiltersOnOneRegistryCountEachRequestOnce() throws Exception {
        ServletContextHandler context = context(Map.of("/", OK));
        context.addFilter(new FilterHolder(MetricsFilter.builder().registry(registry).build()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(MetricsFilter.builder().registry(registry).build()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        assertEquals(200, get("/x").statusCode());
        Poll.awaitEquals(1.0, () -> Samples.totalRequests(registry), "total");
        assertEquals(1, logged(Level.SEVERE, "measures nothing").size());
    }

    @Test
    void oneInstanceInitialisedTwiceRefusesTheSecondInitAndCountsEachRequestOnce() throws Exception {
        MetricsFilter filter = MetricsFilter.builder().registry(registry).build();
        ServletContextHandler context = context(Map.of("/", OK));
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        FilterConfig again = new FilterConfig() {
            @Override
            public String getFilterName() {
                return "metrics";
            }

            @Override
            public ServletContext getServletContext() {
                return context.getServletContext();
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        };
        ServletException refused = assertThrows(ServletException.class, () -> filter.init(again));
        assertTrue(refused.getMessage().contains("initialised already"), refused.getMessage());
        assertEquals(200, get("/x").statusCode());
        Poll.awaitEquals(1.0, () -> Samples.totalRequests(registry), "total");

        // The same instance in two registrations: the second init fails the start instead of doubling counts.
        CollectorRegistry doubled = new CollectorRegistry();
        MetricsFilter twice = MetricsFilter.builder().registry(doubled).build();
        ServletContextHandler second = context(Map.of("/", OK));
        second.addFilter(new FilterHolder(twice), "/*", EnumSet.of(DispatcherType.REQUEST));
        second.addFilter(new FilterHolder(twice), "/*", EnumSet.of(DispatcherType.REQUEST));
        Exception failed = assertThrows(ServletException.class, () -> JettyApp.start(second));
        assertTrue(failed.getMessage().contains("registered twice"), failed.getMessage());
    }

    @Test
    void aFaultWhileRecordingIsLoggedOnceAndNeverReachesTheApplication() throws Exception {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("broken route");
            }
        };
        start(MetricsFilter.builder().registry(registry).build(), Map.of(
                "/broken", servlet((req, resp) -> {
                    req.setAttribute(MetricsFilter.ROUTE_ATTRIBUTE, broken);
                    resp.getWriter().write("fine");
                }),
                "/", OK));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/broken");
            assertEquals(200, r.statusCode());
            assertEquals("fine", r.body());
        }
        get("/other");
        Poll.awaitEquals(Map.of(key("GET", "UNMATCHED", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "the healthy request");
        assertEquals(1, logged(Level.WARNING, "failed to record").size());
        assertEquals(0.0, registry.getSampleValue("http_requests_in_progress", new String[] {"method"}, new String[] {"GET"}),
                "in progress still goes back down");
    }

    @Test
    void responseSizeCountsEncodedBytesFromWriterAndStream() throws Exception {
        String text = "héllo wörld €\uD83D\uDE00\n";
        start(MetricsFilter.builder().registry(registry).responseSize(true).build(), Map.of(
                "/utf8", servlet((req, resp) -> {
                    resp.setContentType("text/plain; charset=utf-8");
                    resp.getWriter().print(text);
                    resp.getWriter().println(42);
                }),
                "/latin1", servlet((req, resp) -> {
                    resp.setContentType("text/plain; charset=iso-8859-1");
                    resp.getWriter().write("héllo");
                    resp.getWriter().write('!');
                }),
                "/bytes", servlet((req, resp) -> {
                    resp.getOutputStream().write(new byte[1000], 10, 700);
                    resp.getOutputStream().write(7);
                }),
                "/reset", servlet((req, resp) -> {
                    resp.getWriter().write("discarded");
                    resp.resetBuffer();
                    resp.getWriter().write("kept");
                })));
        Map<String, Double> expected = new TreeMap<>();
        for (String path : new String[] {"/utf8", "/latin1", "/bytes", "/reset"}) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            expected.put("{method=\"GET\",path=\"" + path + "\"}", (double) r.body().length);
        }
        assertEquals((double) (text.getBytes(StandardCharsets.UTF_8).length + 2 + System.lineSeparator().length()),
                expected.get("{method=\"GET\",path=\"/utf8\"}"));
        assertEquals(701.0, expected.get("{method=\"GET\",path=\"/bytes\"}"));
        Poll.awaitEquals(expected, () -> Samples.all(registry, "http_response_size_bytes_sum"), "bytes");
    }

    @Test
    void initParamsConfigureNamesHistogramAndRegistryAttribute() throws Exception {
        ServletContextHandler context = context(Map.of("/users/*", OK));
        context.setAttribute("my.registry", registry);
        FilterHolder holder = new FilterHolder(MetricsFilter.class);
        holder.setInitParameter("registry", "my.registry");
        holder.setInitParameter("requests-metric", "web_requests_total");
        holder.setInitParameter("duration-metric", "web_latency_seconds");
        holder.setInitParameter("in-progress-metric", "web_in_flight");
        holder.setInitParameter("buckets", "0.1,\n 1 , 10");
        holder.setInitParameter("path-patterns", "\n  /users/{id},\n  /users/{id}/orders\n");
        holder.setInitParameter("max-paths", "10");
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        get("/users/1");
        get("/users/1/orders");
        Poll.awaitEquals(1.0, () -> registry.getSampleValue("web_requests_total",
                new String[] {"method", "path", "status"}, new String[] {"GET", "/users/{id}/orders", "200"}), "orders");
        assertEquals(1.0, registry.getSampleValue("web_latency_seconds_bucket",
                new String[] {"method", "path", "le"}, new String[] {"GET", "/users/{id}", "10.0"}));
        assertEquals(1.0, registry.getSampleValue("web_latency_seconds_bucket",
                new String[] {"method", "path", "le"}, new String[] {"GET", "/users/{id}", "+Inf"}));
        assertNotNull(registry.getSampleValue("web_in_flight", new String[] {"method"}, new String[] {"GET"}));
        assertNull(registry.getSampleValue("http_requests_total", new String[] {"method", "path", "status"},
                new String[] {"GET", "/users/{id}", "200"}));
    }

    private HistogramMetricFamily.Point latencyOf(String path) {
        for (MetricFamily family : registry.collect()) {
            if (family.name().equals("http_request_duration_seconds")) {
                for (HistogramMetricFamily.Point p : ((HistogramMetricFamily) family).points()) {
                    if (p.labels().equals(Labels.of("method", "GET", "path", path))) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void theNativeHistogramInitParamMakesTheLatencyANativeHistogram() throws Exception {
        ServletContextHandler context = context(Map.of("/n", OK));
        FilterHolder holder = new FilterHolder(MetricsFilter.class);
        context.setAttribute("my.registry", registry);
        holder.setInitParameter("registry", "my.registry");
        holder.setInitParameter("native-histogram", "true");
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        get("/n");
        Poll.awaitEquals(1L, () -> {
            HistogramMetricFamily.Point p = latencyOf("/n");
            return p == null ? null : p.nativeBuckets().count();
        }, "native count");
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, latencyOf("/n").upperBounds());
    }

    @Test
    void withBucketsTooTheNativeHistogramKeepsThem() throws Exception {
        start(MetricsFilter.builder().registry(registry).nativeHistogram(true).buckets(0.1, 1).build(), Map.of("/both", OK));
        get("/both");
        Poll.awaitEquals(1L, () -> {
            HistogramMetricFamily.Point p = latencyOf("/both");
            return p == null ? null : p.nativeBuckets().count();
        }, "native count");
        assertArrayEquals(new double[] {0.1, 1, Double.POSITIVE_INFINITY}, latencyOf("/both").upperBounds());
    }

    @Test
    void withBucketsAloneTheLatencyHistogramStaysClassic() throws Exception {
        start(MetricsFilter.builder().registry(registry).buckets(0.1, 1).build(), Map.of("/classic", OK));
        get("/classic");
        Poll.awaitEquals(1L, () -> {
            HistogramMetricFamily.Point p = latencyOf("/classic");
            return p == null ? null : p.count();
        }, "classic count");
        assertNull(latencyOf("/classic").nativeBuckets());
    }

    @Test
    void emptyQuantilesGiveCountAndSumOnly() throws Exception {
        start(MetricsFilter.builder().registry(registry).quantiles().build(), Map.of("/q", OK));
        get("/q");
        Poll.awaitEquals(1.0, () -> Samples.byRoute(registry, "http_request_duration_seconds_count", "GET", "/q"), "count");
        assertEquals(Map.of(), Samples.all(registry, "http_request_duration_seconds"), "no quantile samples");
    }

    @Test
    void malformedInitParamsFailInitNamingTheParameter() {
        for (String[] bad : new String[][] {{"max-paths", "many"}, {"path-patterns", "/users/{id"},
                {"buckets", "1, 0.5"}, {"quantiles", "1.5"}, {"response-size", "yes"}, {"native-histogram", "yes"}, {"requests-metric", "bad-name"},
                {"registry", "no.such.attribute"}}) {
            ServletContextHandler context = context(Map.of("/", OK));
            FilterHolder holder = new FilterHolder(MetricsFilter.class);
            holder.setInitParameter(bad[0], bad[1]);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
            Exception e = assertThrows(Exception.class, () -> JettyApp.start(context).close(), bad[0]);
            String messages = messages(e);
            assertTrue(messages.contains(bad[0]) || messages.contains(bad[1]), bad[0] + ": " + messages);
        }
        assertThrows(IllegalArgumentException.class, () -> MetricsFilter.builder().pathPatterns("users").build());
        assertThrows(IllegalArgumentException.class, () -> MetricsFilter.builder().maxPaths(-1).build());
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
            for (Throwable s : c.getSuppressed()) {
                sb.append(messages(s));
            }
        }
        return sb.toString();
    }

    @Test
    void scrapesAreCountedWhenAskedTo() throws Exception {
        ServletContextHandler context = context(Map.of());
        context.addServlet(new ServletHolder(new MetricsServlet(registry)), "/metrics");
        context.addFilter(new FilterHolder(MetricsFilter.builder().registry(registry).countScrapes(true).build()),
                "/*", EnumSet.of(DispatcherType.REQUEST));
        app = JettyApp.start(context);
        assertEquals(200, get("/metrics").statusCode());
        Poll.awaitEquals(Map.of(key("GET", "/metrics", "200"), 1.0),
                () -> Samples.all(registry, "http_requests_total"), "series");
    }
}
