package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promlet.it.ScriptedRequests.Exchange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JAX-RS test application (src/test/jaxrs) in real servers, each with a JAX-RS runtime that finds
 * {@code io.promlet.jaxrs.RouteFilter} by itself (the application at {@code /api} lists no classes; the one at
 * {@code /listed} lists its classes and the filter): every request must be counted under the template its resource
 * method declares, read from the application's own {@code /metrics}.
 */
class JaxRsRoutesIT {

    private static final String METRICS = "/metrics";
    private static final Duration COUNTED_TIMEOUT = Duration.ofSeconds(10);

    /** A server and the build of the test application it gets (a directory of src/test/jaxrs). */
    enum Stack {
        JERSEY_3_TOMCAT_10_1(StandaloneContainer.Kind.TOMCAT_10_1, "jersey3"),
        JERSEY_3_JETTY_12_EE10(StandaloneContainer.Kind.JETTY_12_EE10, "jersey3"),
        RESTEASY_7_TOMCAT_11(StandaloneContainer.Kind.TOMCAT_11, "resteasy"),
        /** WildFly's own RESTEasy. */
        WILDFLY(StandaloneContainer.Kind.WILDFLY, "provided"),
        JERSEY_2_TOMCAT_9(StandaloneContainer.Kind.TOMCAT_9, "jersey2"),
        /** Payara Micro's own Jersey. */
        PAYARA_MICRO(StandaloneContainer.Kind.PAYARA_MICRO, "provided");

        private final StandaloneContainer.Kind kind;
        private final String build;

        Stack(StandaloneContainer.Kind kind, String build) {
            this.kind = kind;
            this.build = build;
        }

        Path war() {
            return Path.of(System.getProperty("it.jaxrs.wars"), build, "target", "orders.war");
        }
    }

    /** Every kind of route: plain, a regex, a sub-resource, a POST, a mapped exception, async, and what none matches. */
    static final ScriptedRequests SCRIPT = ScriptedRequests.of(List.of(
            new Exchange("GET", "/api/orders/7", 200, "/api/orders/{id}"),
            new Exchange("GET", "/api/orders/8", 200, "/api/orders/{id}"),
            new Exchange("GET", "/api/orders/7/receipt", 200, "/api/orders/{id}/receipt"),
            new Exchange("GET", "/api/orders/7/items/3", 200, "/api/orders/{id}/items/{itemId}"),
            new Exchange("POST", "/api/orders", 201, "/api/orders"),
            new Exchange("DELETE", "/api/orders/7", 409, "/api/orders/{id}"),
            new Exchange("GET", "/api/orders/7/status", 200, "/api/orders/{id}/status"),
            new Exchange("GET", "/api/orders/7/status", 200, "/api/orders/{id}/status"),
            // The regex does not match, nor does anything else: JAX-RS answers 404.
            new Exchange("GET", "/api/orders/x/receipt", 404, "NOT_FOUND"),
            new Exchange("GET", "/api/no/such/thing", 404, "NOT_FOUND"),
            // A path that matches with a method that does not: the filter's usual route, the servlet mapping.
            new Exchange("PUT", "/api/orders", 405, "/api/*"),
            // An application that lists its classes, RouteFilter among them (the README's one line).
            new Exchange("GET", "/listed/orders/7/items/3", 200, "/listed/orders/{id}/items/{itemId}"),
            new Exchange("GET", "/listed/nothing", 404, "NOT_FOUND")));

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stack.class)
    @Execution(ExecutionMode.CONCURRENT)
    void countsEveryRequestUnderItsTemplate(Stack stack, @TempDir Path base) throws Exception {
        try (StandaloneContainer container = StandaloneContainer.startWithWar(stack.kind, stack.war(), base, METRICS)) {
            SCRIPT.sendTo(container);

            var expected = SCRIPT.expectedRequestCounts();
            container.process().await("http_requests_total " + expected, COUNTED_TIMEOUT,
                    () -> ScriptedRequests.scraped(container.get(METRICS, "text/plain").body(), "http_requests_total"),
                    expected::equals);
            String scrape = container.get(METRICS, "text/plain").body();
            assertAll(
                    () -> assertEquals(SCRIPT.expectedDurationCounts(),
                            ScriptedRequests.scraped(scrape, "http_request_duration_seconds_count"), "durations counted"),
                    () -> assertEquals(List.of(), ServerLogs.problemsNaming(container.logs(), "promlet"),
                            "log lines about promlet"));
        }
    }
}
