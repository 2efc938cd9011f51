package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promlet.tools.ExpositionLines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fixed sequence of requests to a web application (the reference one, or a test's own), each with the status it
 * must get and the {@code path} label the metrics filter must give it, so the {@code http_requests_total} counts it
 * produces are known in advance.
 */
final class ScriptedRequests {

    /** One request: {@code target} is below the context path, {@code route} is the expected {@code path} label. */
    record Exchange(String method, String target, int status, String route) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<Exchange> exchanges;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ScriptedRequests(List<Exchange> exchanges) {
        this.exchanges = List.copyOf(exchanges);
    }

    /**
     * Every kind of endpoint the reference application has: plain, route templates, an application-named route, an
     * extension mapping, a static file, slow, async (completed, timed out, failing), throwing, sendError, forward and
     * include, an unmapped path, and a method the servlet does not support.
     */
    static ScriptedRequests everyEndpoint() {
        return everyEndpoint(true);
    }

    /**
     * The same, for a container that serves the context root through the empty {@code <url-pattern>} of Servlet 3.1
     * ({@code contextRootMapped}) or, as Payara Micro does, leaves it to its default servlet, which answers 404.
     */
    static ScriptedRequests everyEndpoint(boolean contextRootMapped) {
        return new ScriptedRequests(List.of(
                contextRootMapped ? new Exchange("GET", "/", 200, "/") : new Exchange("GET", "/", 404, "NOT_FOUND"),
                new Exchange("GET", "/hello", 200, "/hello"),
                new Exchange("GET", "/hello", 200, "/hello"),
                new Exchange("GET", "/hello", 200, "/hello"),
                new Exchange("POST", "/hello", 405, "/hello"),
                new Exchange("GET", "/users/1", 200, "/users/{id}"),
                new Exchange("GET", "/users/22", 200, "/users/{id}"),
                new Exchange("GET", "/users/abc", 404, "/users/{id}"),
                new Exchange("GET", "/users/7/orders", 200, "/users/{id}/orders"),
                new Exchange("GET", "/items/sku-1", 200, "/items/{sku}"),
                new Exchange("GET", "/report.csv", 200, "*.csv"),
                new Exchange("GET", "/static/app.css", 200, "/static/**"),
                new Exchange("GET", "/slow?ms=50", 200, "/slow"),
                new Exchange("GET", "/async/complete?delay=20", 200, "/async/*"),
                new Exchange("GET", "/async/complete?delay=20", 200, "/async/*"),
                new Exchange("GET", "/async/timeout?delay=20", 500, "/async/*"),
                new Exchange("GET", "/async/error?delay=20", 500, "/async/*"),
                new Exchange("GET", "/fail", 500, "/fail"),
                new Exchange("GET", "/send-error?code=404", 404, "/send-error"),
                new Exchange("GET", "/send-error", 500, "/send-error"),
                new Exchange("GET", "/forward", 200, "/forward"),
                new Exchange("GET", "/forward?to=hello", 200, "/forward"),
                new Exchange("GET", "/no/such/page", 404, "NOT_FOUND")));
    }

    /** {@code times} requests to {@code /hello} and {@code times} to {@code /users/{id}}, plus one to {@code /slow}. */
    static ScriptedRequests helloUsersAndSlow(int times, int slowMillis) {
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            exchanges.add(new Exchange("GET", "/hello", 200, "/hello"));
            exchanges.add(new Exchange("GET", "/users/" + i, 200, "/users/{id}"));
        }
        exchanges.add(new Exchange("GET", "/slow?ms=" + slowMillis, 200, "/slow"));
        return new ScriptedRequests(exchanges);
    }

    /** These requests, for an application of the test's own. */
    static ScriptedRequests of(List<Exchange> exchanges) {
        return new ScriptedRequests(exchanges);
    }

    /** Sends every request, in order, and asserts its status. */
    void sendTo(StandaloneContainer container) throws IOException, InterruptedException {
        sendTo(container.toString(), container::uri);
    }

    /** Same, to the application where {@code uri} gives a target's absolute URI; {@code server} names it in failures. */
    void sendTo(String server, Function<String, URI> uri) throws IOException, InterruptedException {
        for (Exchange exchange : exchanges) {
            HttpRequest request = HttpRequest.newBuilder(uri.apply(exchange.target()))
                    .method(exchange.method(), HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(exchange.status(), status, () -> server + ": " + exchange.method() + " "
                    + exchange.target());
        }
    }

    /** The number of requests sent. */
    int size() {
        return exchanges.size();
    }

    /** The number of requests whose {@code path} label is {@code route}. */
    long countOf(String route) {
        return exchanges.stream().filter(exchange -> exchange.route().equals(route)).count();
    }

    /** The {@code http_requests_total} samples the script must produce: labels to count. */
    Map<Map<String, String>, Double> expectedRequestCounts() {
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Exchange exchange : exchanges) {
            counts.merge(Map.of("method", exchange.method(), "path", exchange.route(),
                    "status", Integer.toString(exchange.status())), 1.0, Double::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * The samples called {@code name} in a scrape ({@code exposition}), each as its labels mapped to its value: the
     * shape of {@link #expectedRequestCounts()} and {@link #expectedDurationCounts()}.
     */
    static Map<Map<String, String>, Double> scraped(String exposition, String name) {
        Map<Map<String, String>, Double> values = new LinkedHashMap<>();
        for (ExpositionLines.Line line : ExpositionLines.parse(exposition).all()) {
            if (line.name().equals(name) && values.put(Map.copyOf(line.labels()), line.value()) != null) {
                throw new AssertionError("two samples " + name + line.labels() + " in\n" + exposition);
            }
        }
        return values;
    }

    /** The number of requests per route, as in {@code http_request_duration_seconds_count}. */
    Map<Map<String, String>, Double> expectedDurationCounts() {
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Exchange exchange : exchanges) {
            counts.merge(Map.of("method", exchange.method(), "path", exchange.route()), 1.0, Double::sum);
        }
        return Collections.unmodifiableMap(counts);
    }
}
