package io.promlet.servlet;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged reference WAR, deployed unchanged on embedded Jetty 12 with the web application's own class
 * loader first: it must carry the library and the demo classes itself, and count what it serves.
 */
class ReferenceWarIT {
    private static final Path WAR = Path.of(Objects.requireNonNull(System.getProperty("it.war"), "it.war"));

    @Test
    void theWarCarriesTheLibraryAndTheDemoButNotTheServletApi() throws Exception {
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> entries = war.stream().map(e -> e.getName()).toList();
            assertTrue(entries.stream().anyMatch(n -> n.matches("WEB-INF/lib/promlet-[^/]*\\.jar")), entries.toString());
            assertTrue(entries.contains("WEB-INF/classes/io/promlet/demo/AsyncServlet.class"), entries.toString());
            assertTrue(entries.contains("WEB-INF/web.xml"), entries.toString());
            assertTrue(entries.stream().noneMatch(n -> n.contains("servlet-api")), entries.toString());
            assertTrue(entries.stream().noneMatch(n -> n.startsWith("WEB-INF/classes/io/promlet/servlet/")),
                    "the library is only in its jar");
        }
    }

    @Test
    void theDeployedWarCountsRequestsAndServesMetrics() throws Exception {
        assertTrue(Files.isRegularFile(WAR), WAR.toString());
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/demo");
        webapp.setWar(WAR.toString());
        webapp.setParentLoaderPriority(false);
        webapp.setThrowUnavailableOnStartupException(true);
        try (JettyApp app = JettyApp.start(webapp)) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"/hello", "/users/42", "/fail"}) {
                client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            Poll.awaitEquals(true, () -> scrape(client, app).contains(
                    "http_requests_total{method=\"GET\",path=\"/fail\",status=\"500\"} 1.0"), "counted");
            String metrics = scrape(client, app);
            assertTrue(metrics.contains("http_requests_total{method=\"GET\",path=\"/hello\",status=\"200\"} 1.0"), metrics);
            assertTrue(metrics.contains("http_requests_total{method=\"GET\",path=\"/users/{id}\",status=\"200\"} 1.0"), metrics);
            assertEquals(-1, metrics.indexOf("path=\"/metrics\""), metrics);
            assertTrue(metrics.contains("# TYPE jvm_threads_current gauge"), "the default registry's JVM metrics");
        }
    }

    private static String scrape(HttpClient client, JettyApp app) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(app.base() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
