package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static io.promlet.servlet.Samples.byRoute;
import static io.promlet.servlet.Samples.key;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference web application (src/main/webapp, web.xml as the README shows it) on embedded Jetty 12. */
class ReferenceAppTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private JettyApp app;

    @BeforeEach
    void start() throws Exception {
        app = JettyApp.reference(registry);
        RestAssured.baseURI = app.base();
    }

    @AfterEach
    void stop() throws Exception {
        RestAssured.reset();
        app.close();
    }

    private static void call(String method, String path, int expectedStatus) {
        given().redirects().follow(false).request(method, path).then().statusCode(expectedStatus);
    }

    @Test
    void scriptedRequestsAreCountedExactlyOnceEachWithTheirRoute() {
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            call("GET", "/hello", 200);
        }
        expected.put(key("GET", "/hello", "200"), 3.0);
        call("HEAD", "/hello", 200);
        expected.put(key("HEAD", "/hello", "200"), 1.0);
        call("POST", "/hello", 405);
        expected.put(key("POST", "/hello", "405"), 1.0);
        call("DELETE", "/hello", 405);
        expected.put(key("DELETE", "/hello", "405"), 1.0);
        call("BREW", "/hello", 501);
        expected.put(key("OTHER", "/hello", "501"), 1.0);
        // Templates of path-patterns.
        call("GET", "/users/1", 200);
        call("GET", "/users/22", 200);
        expected.put(key("GET", "/users/{id}", "200"), 2.0);
        call("GET", "/users/abc", 404);
        expected.put(key("GET", "/users/{id}", "404"), 1.0);
        call("GET", "/users/7/orders", 200);
        expected.put(key("GET", "/users/{id}/orders", "200"), 1.0);
        call("GET", "/static/app.css", 200);
        expected.put(key("GET", "/static/**", "200"), 1.0);
        // Servlet mappings: path, exact, extension, context root.
        call("GET", "/users", 200);
        call("GET", "/users/7/x/y", 404);
        expected.put(key("GET", "/users/*", "200"), 1.0);
        expected.put(key("GET", "/users/*", "404"), 1.0);
        call("GET", "/report.csv", 200);
        call("GET", "/reports/2024.csv", 200);
        expected.put(key("GET", "*.csv", "200"), 2.0);
        call("GET", "/", 200);
        expected.put(key("GET", "/", "200"), 1.0);
        // A route the application names in the request attribute.
        call("GET", "/items/sku-1", 200);
        call("GET", "/items/sku-2", 200);
        expected.put(key("GET", "/items/{sku}", "200"), 2.0);
        // Fallbacks.
        call("GET", "/no/such/page", 404);
        call("GET", "/nothing-here", 404);
        expected.put(key("GET", "NOT_FOUND", "404"), 2.0);
        // Errors: a thrown exception and sendError, each through the ERROR dispatch to the error page.
        call("GET", "/fail", 500);
        expected.put(key("GET", "/fail", "500"), 1.0);
        call("GET", "/send-error?code=503", 503);
        expected.put(key("GET", "/send-error", "503"), 1.0);
        // Includes and forwards are part of the request that makes them.
        call("GET", "/forward", 200);
        call("GET", "/forward?to=hello", 200);
        expected.put(key("GET", "/forward", "200"), 2.0);

        Poll.awaitEquals(expected, () -> Samples.all(registry, "http_requests_total"), "http_requests_total");
        assertEquals(3, byRoute(registry, "http_request_duration_seconds_count", "GET", "/hello"));
        assertEquals(2, byRoute(registry, "http_request_duration_seconds_count", "GET", "NOT_FOUND"));
        assertEquals(1, byRoute(registry, "http_request_duration_seconds_count", "OTHER", "/hello"));
        double totalDurations = Samples.all(registry, "http_request_duration_seconds_count").values().stream()
                .mapToDouble(Double::doubleValue).sum();
        assertEquals(Samples.totalRequests(registry), totalDurations, "one duration per counted request");
        assertEquals(3 * "hello\n".length(), byRoute(registry, "http_response_size_bytes_sum", "GET", "/hello"));
    }

    @Test
    void anExceptionIsCountedOnceAs500AndStillReachesTheContainer() {
        given().get("/fail").then().statusCode(500).body(containsString("error 500"));
        Poll.awaitEquals(1.0, () -> Samples.requests(registry, "GET", "/fail", "500"), "GET /fail 500");
        assertEquals(1.0, Samples.totalRequests(registry), "the ERROR dispatch is not counted again");
    }

    @Test
    void slowRequestsAreTimed() {
        call("GET", "/slow?ms=120", 200);
        Poll.awaitEquals(1.0, () -> byRoute(registry, "http_request_duration_seconds_count", "GET", "/slow"), "count");
        double sum = byRoute(registry, "http_request_duration_seconds_sum", "GET", "/slow");
        assertTrue(sum >= 0.12, "duration " + sum + " covers the 120 ms the servlet slept");
        Double median = registry.getSampleValue("http_request_duration_seconds",
                new String[] {"method", "path", "quantile"}, new String[] {"GET", "/slow", "0.5"});
        assertTrue(median != null && median >= 0.11, "median " + median);
    }

    @Test
    void asyncRequestsAreCountedOnceWhenTheyCompleteWithTheStatusTheClientGot() {
        call("GET", "/async/complete?delay=150", 200);
        Response timedOut = given().get("/async/timeout?delay=150");
        Response failed = given().get("/async/error?delay=150");
        assertEquals(500, failed.statusCode(), "an exception in the async dispatch");
        assertTrue(timedOut.statusCode() >= 500, "a timeout is an error: " + timedOut.statusCode());
        Map<String, Double> expected = new TreeMap<>();
        expected.merge(key("GET", "/async/*", "200"), 1.0, Double::sum);
        expected.merge(key("GET", "/async/*", Integer.toString(timedOut.statusCode())), 1.0, Double::sum);
        expected.merge(key("GET", "/async/*", "500"), 1.0, Double::sum);
        Poll.awaitEquals(expected, () -> Samples.all(registry, "http_requests_total"), "http_requests_total");
        assertEquals(3, byRoute(registry, "http_request_duration_seconds_count", "GET", "/async/*"));
        double sum = byRoute(registry, "http_request_duration_seconds_sum", "GET", "/async/*");
        assertTrue(sum >= 3 * 0.15, "each of the three took at least its 150 ms delay: " + sum);
        assertEquals("completed after 150 ms\n".length(),
                byRoute(registry, "http_response_size_bytes_sum", "GET", "/async/*"),
                "bytes written through AsyncContext.getResponse() from another thread");
    }

    @Test
    void tenThousandRandomMissingPathsMakeOneSeries() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int n = 10_000;
        int batch = 50;
        for (int i = 0; i < n; i += batch) {
            List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
            for (int j = i; j < i + batch; j++) {
                String path = "/" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "/" + j;
                responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            for (CompletableFuture<HttpResponse<Void>> r : responses) {
                assertEquals(404, r.join().statusCode(), r.join().uri().toString());
            }
        }
        Poll.awaitEquals(Map.of(key("GET", "NOT_FOUND", "404"), (double) n),
                () -> Samples.all(registry, "http_requests_total"), "all in one series");
        assertEquals(1, Samples.all(registry, "http_request_duration_seconds_count").size());
    }

    @Test
    void pathParametersNeverReachALabel() throws Exception {
        // The JDK client sends the path as it is; REST Assured would encode the semicolon.
        HttpClient client = HttpClient.newHttpClient();
        for (String path : new String[] {"/users/7;jsessionid=0123456789ABCDEF", "/hello;jsessionid=0123456789ABCDEF",
                "/missing;jsessionid=0123456789ABCDEF"}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(path.startsWith("/missing") ? 404 : 200, r.statusCode(), path + ": " + r.body());
        }
        Poll.awaitEquals(3.0, () -> Samples.totalRequests(registry), "total");
        assertEquals(Map.of(key("GET", "/users/{id}", "200"), 1.0, key("GET", "/hello", "200"), 1.0,
                key("GET", "NOT_FOUND", "404"), 1.0), Samples.all(registry, "http_requests_total"));
    }

    @Test
    void scrapesAreNotCountedNorShownInProgress() {
        call("GET", "/hello", 200);
        Poll.awaitEquals(1.0, () -> Samples.totalRequests(registry), "total");
        for (int i = 0; i < 3; i++) {
            given().get("/metrics").then().statusCode(200)
                    .body(containsString("http_requests_total{method=\"GET\",path=\"/hello\",status=\"200\"} 1.0"))
                    .body(containsString("http_requests_in_progress{method=\"GET\"} 0.0"))
                    .body(not(containsString("path=\"/metrics\"")));
        }
        assertEquals(1.0, Samples.totalRequests(registry));
    }

    @Test
    void responseSizeIsTheBodyBytesTheApplicationWrote() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long received = 0;
        for (String path : new String[] {"/", "/users/1", "/report.csv"}) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            received += r.body().length;
        }
        long expected = received;
        Poll.awaitEquals(3.0, () -> Samples.totalRequests(registry), "total");
        double written = Samples.all(registry, "http_response_size_bytes_sum").values().stream()
                .mapToDouble(Double::doubleValue).sum();
        assertEquals(expected, written, "bytes the clients received");
    }

    @Test
    void stoppingTheApplicationUnregistersTheMetrics() throws Exception {
        call("GET", "/hello", 200);
        Poll.awaitEquals(1.0, () -> Samples.totalRequests(registry), "total");
        app.stopContext();
        assertEquals(0, registry.collect().size(), "nothing left in the registry: " + registry);
    }
}
