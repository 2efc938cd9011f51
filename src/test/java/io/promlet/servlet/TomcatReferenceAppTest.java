package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static io.promlet.servlet.Samples.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference web application on embedded Tomcat 11, whose error, async and mapping handling differ from Jetty's. */
class TomcatReferenceAppTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private Tomcat tomcat;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path work = Files.createTempDirectory("promlet-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(work.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        // Tomcat's own defaults minus the JSP servlet, which needs Jasper.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("/app",
                Objects.requireNonNull(System.getProperty("it.webapp"), "it.webapp"));
        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        context.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addServletContainerInitializer(
                (classes, servletContext) -> servletContext.setAttribute(MetricsServlet.REGISTRY_ATTRIBUTE, registry), null);
        tomcat.start();
        base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app";
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void requestsAreCountedOnceWithRoutesAndFinalStatuses() throws Exception {
        assertEquals(200, get("/hello"));
        assertEquals(200, get("/users/42;jsessionid=ABC"));
        assertEquals(404, get("/users/abc"));
        assertEquals(200, get("/report.csv"));
        assertEquals(200, get("/static/app.css"));
        assertEquals(404, get("/no/such/page"));
        assertEquals(500, get("/fail"));
        assertEquals(503, get("/send-error?code=503"));
        assertEquals(200, get("/forward"));
        assertEquals(200, get("/forward?to=hello"));
        assertEquals(200, get("/async/complete?delay=100"));
        assertEquals(500, get("/async/error?delay=100"));
        int timedOut = get("/async/timeout?delay=100");
        assertTrue(timedOut >= 500, "timeout " + timedOut);
        Map<String, Double> expected = new TreeMap<>();
        expected.put(key("GET", "/hello", "200"), 1.0);
        expected.put(key("GET", "/users/{id}", "200"), 1.0);
        expected.put(key("GET", "/users/{id}", "404"), 1.0);
        expected.put(key("GET", "*.csv", "200"), 1.0);
        expected.put(key("GET", "/static/**", "200"), 1.0);
        expected.put(key("GET", "NOT_FOUND", "404"), 1.0);
        expected.put(key("GET", "/fail", "500"), 1.0);
        expected.put(key("GET", "/send-error", "503"), 1.0);
        expected.put(key("GET", "/forward", "200"), 2.0);
        expected.put(key("GET", "/async/*", "200"), 1.0);
        expected.merge(key("GET", "/async/*", "500"), 1.0, Double::sum);
        expected.merge(key("GET", "/async/*", Integer.toString(timedOut)), 1.0, Double::sum);
        Poll.awaitEquals(expected, () -> Samples.all(registry, "http_requests_total"), "http_requests_total");
        double asyncSeconds = Samples.byRoute(registry, "http_request_duration_seconds_sum", "GET", "/async/*");
        assertTrue(asyncSeconds >= 0.3, "three async requests of at least 100 ms: " + asyncSeconds);
        assertEquals(0.0, registry.getSampleValue("http_requests_in_progress", new String[] {"method"}, new String[] {"GET"}));
    }
}
