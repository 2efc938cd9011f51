package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The listener the jar's web fragment declares, in an embedded Jetty context (which reads no fragments, so the test
 * adds the listener as the container would): what it registers, what it leaves to the application, the address rule.
 */
class AutoRegistrationTest {
    private static final String HELLO = "http_requests_total{method=\"GET\",path=\"/hello\",status=\"200\"}";
    private final HttpClient client = HttpClient.newHttpClient();
    private final CollectorRegistry registry = new CollectorRegistry();
    private JettyApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A context with {@code /hello}, the listener, and a filter that makes every client look as if it were at {@code client}. */
    private ServletContextHandler context(String client) {
        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(MetricsServlet.REGISTRY_ATTRIBUTE, registry);
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("hello");
            }
        }), "/hello");
        if (client != null) {
            Filter remote = (request, response, chain) -> chain.doFilter(
                    new HttpServletRequestWrapper((HttpServletRequest) request) {
                        @Override
                        public String getRemoteAddr() {
                            return client;
                        }
                    }, response);
            context.addFilter(new FilterHolder(remote), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addEventListener(new AutoRegistration());
        return context;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The count of {@code GET /hello} in a scrape, or null if it has none. */
    private static Double hellos(String scrape) {
        return scrape.lines().filter(line -> line.startsWith(HELLO + " "))
                .map(line -> Double.valueOf(line.substring(HELLO.length() + 1))).findFirst().orElse(null);
    }

    private void hello(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            assertEquals(200, get("/hello").statusCode());
        }
    }

    @Test
    void registersTheFilterAndMetricsWithoutAnyDeclaration() throws Exception {
        app = JettyApp.start(context(null));
        hello(2);
        HttpResponse<String> scrape = get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertEquals(2.0, hellos(scrape.body()), scrape.body());
    }

    @Test
    void answersLoopbackAndPrivateNetworksOnlyAndSaysWhyItRefuses() throws Exception {
        app = JettyApp.start(context("203.0.113.7"));
        HttpResponse<String> refused = get("/metrics");
        assertEquals(403, refused.statusCode());
        assertEquals("Forbidden: these metrics answer loopback and private networks only; set "
                + "promlet.allowed-addresses to allow others.\n", refused.body());
        app.close();
        app = JettyApp.start(context("192.168.10.20"));
        assertEquals(200, get("/metrics").statusCode());
    }

    @Test
    void allowedAddressesOpensIt() throws Exception {
        ServletContextHandler context = context("203.0.113.7");
        context.setInitParameter("promlet.allowed-addresses", "203.0.113.0/24");
        app = JettyApp.start(context);
        assertEquals(200, get("/metrics").statusCode());
    }

    @Test
    void anApplicationWithItsOwnFilterAndServletKeepsExactlyThose() throws Exception {
        ServletContextHandler context = context(null);
        context.addFilter(new FilterHolder(MetricsFilter.class), "/*", EnumSet.allOf(DispatcherType.class));
        context.addServlet(new ServletHolder("own", MetricsServlet.class), "/scrape");
        app = JettyApp.start(context);
        hello(3);
        assertEquals(404, get("/metrics").statusCode());
        assertEquals(3.0, hellos(get("/scrape").body()), "each request counted once");
    }

    @Test
    void theAutomaticFilterStandsDownForOneTheApplicationAddsLater() throws Exception {
        ServletContextHandler context = context(null);
        // After the listener has run, as an application's own listener or initializer would.
        context.addEventListener(new jakarta.servlet.ServletContextListener() {
            @Override
            public void contextInitialized(jakarta.servlet.ServletContextEvent event) {
                event.getServletContext().addFilter("own", MetricsFilter.builder().registry(registry).build())
                        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
            }
        });
        app = JettyApp.start(context);
        hello(2);
        assertEquals(2.0, hellos(get("/metrics").body()), "each request counted once");
    }

    @Test
    void autoRegisterFalseRegistersNothing() throws Exception {
        ServletContextHandler context = context(null);
        context.setInitParameter("promlet.auto-register", "false");
        app = JettyApp.start(context);
        hello(1);
        assertEquals(404, get("/metrics").statusCode());
        assertNull(registry.getSampleValue("http_requests_total", new String[] {"method", "path", "status"},
                new String[] {"GET", "/hello", "200"}));
    }
}
