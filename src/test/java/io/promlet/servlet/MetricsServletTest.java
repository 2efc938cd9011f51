package io.promlet.servlet;

import io.promlet.Collector;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.jvm.JvmMetrics;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.tools.BrokenCollectors;
import io.promlet.tools.LogCapture;
import io.promlet.tools.RawHttp;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MetricsServlet on embedded Jetty 12: the scrape protocol through the servlet adapter, and the allow-list. */
class MetricsServletTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private JettyApp app;

    @BeforeEach
    void metrics() {
        Counter.builder().name("jobs_total").help("Jobs.").register(registry).inc(3);
        Gauge.builder().name("queue_size").help("Queue.").register(registry).set(7);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private void start(Map<String, String> initParams) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/ctx");
        context.setAttribute(MetricsServlet.REGISTRY_ATTRIBUTE, registry);
        ServletHolder holder = new ServletHolder(MetricsServlet.class);
        initParams.forEach(holder::setInitParameter);
        context.addServlet(holder, "/metrics");
        app = JettyApp.start(context);
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void getServesTheTextFormatWithNoStore() throws Exception {
        start(Map.of());
        HttpResponse<byte[]> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", header(r, "Content-Type").replace(";charset", "; charset"));
        assertEquals("no-store", header(r, "Cache-Control"));
        assertTrue(text(r).contains("# TYPE jobs_total counter\njobs_total 3.0\n"), text(r));
        assertTrue(text(r).contains("queue_size 7.0\n"), text(r));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        start(Map.of());
        HttpResponse<byte[]> r = send("GET", "/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(200, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("application/openmetrics-text"), header(r, "Content-Type"));
        assertTrue(text(r).contains("jobs_total 3.0\n"), text(r));
        assertTrue(text(r).endsWith("# EOF\n"), text(r));
    }

    @Test
    void headSendsTheHeadersWithoutBody() throws Exception {
        start(Map.of());
        HttpResponse<byte[]> r = send("HEAD", "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("text/plain"), header(r, "Content-Type"));
        assertEquals(0, r.body().length);
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        start(Map.of());
        HttpResponse<byte[]> r = send("GET", "/metrics", "Accept-Encoding", "gzip");
        assertEquals("gzip", header(r, "Content-Encoding"));
        String body;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(body.contains("jobs_total 3.0\n"), body);
    }

    @Test
    void repeatedNameParametersSelectSamples() throws Exception {
        start(Map.of());
        String body = text(send("GET", "/metrics?name[]=queue_size&name[]=no_such_metric"));
        assertTrue(body.contains("queue_size 7.0"), body);
        assertFalse(body.contains("jobs_total"), body);
        String encoded = text(send("GET", "/metrics?name%5B%5D=jobs_total"));
        assertTrue(encoded.contains("jobs_total 3.0") && !encoded.contains("queue_size"), encoded);
    }

    @Test
    void otherMethodsGet405WithAllow() throws Exception {
        start(Map.of());
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            HttpResponse<byte[]> r = send(method, "/metrics");
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", header(r, "Allow"), method);
        }
    }

    @Test
    void aFailingCollectorGivesAPlainText500() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        registry.register(() -> {
            if (broken.get()) {
                throw new IllegalStateException("pool is gone");
            }
            return List.of(new GaugeMetricFamily("pool_size", "Pool.", List.of()));
        });
        start(Map.of());
        broken.set(true);
        HttpResponse<byte[]> r = send("GET", "/metrics");
        assertEquals(500, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("text/plain"), header(r, "Content-Type"));
        assertTrue(text(r).contains("pool is gone"), text(r));
        assertFalse(text(r).contains("jobs_total"), text(r));
    }

    /** Issue 13: whatever breaks while rendering, a client never gets a complete 200. */
    @Test
    void aFailureWhileRenderingIsNeverACompleteSuccess() throws Exception {
        Collector small = BrokenCollectors.unrenderableAfter(30_000);
        Collector nullFamily = BrokenCollectors.nullFamilyAfter(30_000);
        Collector large = BrokenCollectors.unrenderableAfter(3_000_000);
        for (Collector broken : List.of(small, nullFamily, large)) {
            registry.register(broken);
            start(Map.of());
            BrokenCollectors.assertScrapeFails(port(), "/ctx/metrics", broken != large);
            registry.unregister(broken);
            assertEquals(200, send("GET", "/metrics").statusCode(), "serves on");
            app.close();
        }
    }

    /** Issue 13: an Error from a collector is a plain-text 500, as on the HTTP server. */
    @Test
    void aCollectorThrowingAnErrorGives500() throws Exception {
        registry.register(BrokenCollectors.missingClass());
        start(Map.of());
        RawHttp.Response r = RawHttp.get(port(), "/ctx/metrics");
        assertEquals(500, r.status(), r.text());
        assertTrue(r.text().startsWith("Error collecting metrics: java.lang.NoClassDefFoundError"), r.text());
        assertTrue(r.headers().get("content-type").startsWith("text/plain"), r.headers().toString());
    }

    /**
     * Issue 13: a query that cannot be decoded is the client's error: 400 from the handler itself, and nothing logged
     * (the container's own parameter parsing may fail with a 500 and a stack trace per request).
     */
    @Test
    void aMalformedQueryGets400() throws Exception {
        start(Map.of());
        // The servlet starts on its first request, and may then warn of the test JVM's own promlet.* properties.
        assertEquals(200, RawHttp.get(port(), "/ctx/metrics").status());
        try (LogCapture log = LogCapture.of("io.promlet")) {
            for (String query : List.of("?name%5B%5D=%ZZ", "?name%5B%5D=%E2%80", "?name%5B%5D=%", "?x=%E2%80&name%5B%5D=jobs_total")) {
                RawHttp.Response r = RawHttp.get(port(), "/ctx/metrics" + query);
                assertEquals(400, r.status(), query + " " + r.text());
                // The scrape handler's answer, not the container's error page after an exception.
                assertTrue(r.text().startsWith("Bad request: malformed query"), query + " " + r.text());
            }
            assertEquals(List.of(), log.messages());
        }
    }

    private int port() {
        return URI.create(app.base()).getPort();
    }

    @Test
    void clientsOutsideTheAllowListGet403() throws Exception {
        start(Map.of("allowed-addresses", "10.0.0.0/8, ::1, 192.168.1.7"));
        HttpResponse<byte[]> r = send("GET", "/metrics");
        assertEquals(403, r.statusCode());
        assertFalse(text(r).contains("jobs_total"), text(r));
    }

    @Test
    void clientsInTheAllowListAreServed() throws Exception {
        start(Map.of("allowed-addresses", "10.0.0.0/8\n127.0.0.0/8"));
        assertEquals(200, send("GET", "/metrics").statusCode());
    }

    @Test
    void malformedAllowListFailsInit() throws Exception {
        // Jetty initializes the servlet on its first request and answers 503 when init fails.
        start(Map.of("allowed-addresses", "localhost"));
        HttpResponse<byte[]> r = send("GET", "/metrics");
        assertTrue(r.statusCode() >= 500, r.statusCode() + " " + text(r));
        assertFalse(text(r).contains("jobs_total"), text(r));
    }

    @Test
    void jvmMetricsCanBeTurnedOff() throws Exception {
        JvmMetrics.register(registry);
        start(Map.of());
        assertTrue(text(send("GET", "/metrics")).contains("jvm_threads_current"));
        app.close();
        start(Map.of("jvm-metrics", "false"));
        String body = text(send("GET", "/metrics"));
        assertFalse(body.contains("jvm_") || body.contains("process_"), body);
        assertTrue(body.contains("jobs_total 3.0"), body);
    }

    @Test
    void aRegistryGivenInCodeIsServed() throws Exception {
        CollectorRegistry other = new CollectorRegistry();
        Counter.builder().name("other_total").help("Other.").register(other).inc();
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new MetricsServlet(other)), "/metrics");
        app = JettyApp.start(context);
        String body = text(send("GET", "/metrics"));
        assertTrue(body.contains("other_total 1.0") && !body.contains("jobs_total"), body);
    }

    @Test
    void theRegistryInitParamNamesAContextAttribute() throws Exception {
        CollectorRegistry other = new CollectorRegistry();
        Counter.builder().name("named_total").help("Named.").register(other).inc();
        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute("app.metrics", other);
        ServletHolder holder = new ServletHolder(MetricsServlet.class);
        holder.setInitParameter("registry", "app.metrics");
        context.addServlet(holder, "/metrics");
        app = JettyApp.start(context);
        String body = text(send("GET", "/metrics"));
        assertTrue(body.contains("named_total 1.0"), body);
    }
}
