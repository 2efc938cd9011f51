package io.promlet.servlet;

import io.promlet.Collector;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.tools.BrokenCollectors;
import io.promlet.tools.LogCapture;
import io.promlet.tools.RawHttp;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MetricsServlet on embedded Tomcat 11, whose handling of failures and bad queries differs from Jetty's. */
class MetricsServletTomcatTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private Tomcat tomcat;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Counter.builder().name("jobs_total").help("Jobs.").register(registry).inc(3);
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("promlet-tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "metrics", new MetricsServlet(registry));
        context.addServletMappingDecoded("/metrics", "metrics");
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    /** Issue 13: whatever breaks while rendering, a client never gets a complete 200. */
    @Test
    void aFailureWhileRenderingIsNeverACompleteSuccess() throws Exception {
        Collector large = BrokenCollectors.unrenderableAfter(3_000_000);
        for (Collector broken : new Collector[] {BrokenCollectors.unrenderableAfter(30_000),
                BrokenCollectors.nullFamilyAfter(30_000), large}) {
            registry.register(broken);
            BrokenCollectors.assertScrapeFails(port, "/metrics", broken != large);
            registry.unregister(broken);
            assertEquals(200, RawHttp.get(port, "/metrics").status(), "serves on");
        }
    }

    /**
     * Issue 13: a query that cannot be decoded is the client's error: 400 from the handler itself, and nothing logged
     * (the container's own parameter parsing may fail with a 500 and a stack trace per request).
     */
    @Test
    void aMalformedQueryGets400() throws Exception {
        // The servlet starts on its first request, and may then warn of the test JVM's own promlet.* properties.
        assertEquals(200, RawHttp.get(port, "/metrics").status());
        try (LogCapture log = LogCapture.of("io.promlet")) {
            for (String query : List.of("?name%5B%5D=%ZZ", "?name%5B%5D=%E2%80", "?name%5B%5D=%", "?x=%E2%80&name%5B%5D=jobs_total")) {
                RawHttp.Response r = RawHttp.get(port, "/metrics" + query);
                assertEquals(400, r.status(), query + " " + r.text());
                // The scrape handler's answer, not the container's error page after an exception.
                assertTrue(r.text().startsWith("Bad request: malformed query"), query + " " + r.text());
            }
            assertEquals(List.of(), log.messages());
        }
    }

    /** Issue 13: an Error from a collector is the handler's plain-text 500, as on Jetty and the HTTP server. */
    @Test
    void aCollectorThrowingAnErrorGives500() throws Exception {
        registry.register(BrokenCollectors.missingClass());
        RawHttp.Response r = RawHttp.get(port, "/metrics");
        assertEquals(500, r.status(), r.text());
        // The handler's own plain-text answer, not the container's error page for an exception that escaped.
        assertTrue(r.text().startsWith("Error collecting metrics: java.lang.NoClassDefFoundError"), r.text());
        assertTrue(r.headers().get("content-type").startsWith("text/plain"), r.headers().toString());
    }
}
