package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference WAR, unchanged, in every container of {@link StandaloneContainer.Kind}, each its own process: Servlet
 * 4.0 containers get its javax twin (the {@code javax} classifier jar and the javax web.xml), the others the jakarta
 * WAR. The same scripted requests must give the same {@code http_requests_total} counts in every container, read from
 * the application's own {@code /metrics} in both exposition formats.
 */
class ContainerDeploymentIT {

    private static final String METRICS = "/metrics";
    private static final String TEXT = "text/plain;version=0.0.4;charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0;charset=utf-8";
    /** Requests are counted when they end, which for async ones can be just after the client has the answer. */
    private static final Duration COUNTED_TIMEOUT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    @Execution(ExecutionMode.CONCURRENT)
    void countsEveryEndpointTheSameWay(StandaloneContainer.Kind kind, @TempDir Path base) throws Exception {
        try (StandaloneContainer container = StandaloneContainer.startWithWar(kind, base, METRICS)) {
            ScriptedRequests script = ScriptedRequests.everyEndpoint(kind.mapsContextRoot());
            script.sendTo(container);

            Map<Map<String, String>, Double> expected = script.expectedRequestCounts();
            container.process().await("http_requests_total " + expected, COUNTED_TIMEOUT,
                    () -> requestCounts(container.get(METRICS, "text/plain")), expected::equals);
            HttpResponse<String> text = container.get(METRICS, "text/plain");
            HttpResponse<String> openMetrics = container.get(METRICS,
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertAll(
                    () -> assertEquals(TEXT, contentType(text), "text format content type"),
                    () -> assertEquals(OPENMETRICS, contentType(openMetrics), "OpenMetrics content type"),
                    () -> assertTrue(openMetrics.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF"),
                    () -> assertEquals(expected, requestCounts(text), "text format"),
                    () -> assertEquals(expected, requestCounts(openMetrics), "OpenMetrics"),
                    () -> assertEquals(script.expectedDurationCounts(),
                            ScriptedRequests.scraped(text.body(), "http_request_duration_seconds_count"),
                            "durations counted"),
                    () -> assertEquals(Set.of(0.0), Set.copyOf(
                            ScriptedRequests.scraped(text.body(), "http_requests_in_progress").values()),
                            "requests in progress"),
                    // The jar's JAX-RS part must go unnoticed where there is no JAX-RS (the demo's own failures
                    // log stack traces through promlet's filter, so "promlet" alone would not do).
                    () -> assertEquals(List.of(), ServerLogs.problemsNaming(container.logs(), "io.promlet.jaxrs",
                            "ws.rs", "ws/rs"), "log lines about JAX-RS"),
                    // The jar's module descriptor is for the module path; an annotation scanner must pass over it.
                    () -> assertFalse(container.logs().contains("module-info"), "the container logged about"
                            + " module-info.class:\n" + container.logs()));
        }
    }

    /** Every container, or those named in {@code -Dit.containers=TOMCAT_9,UNDERTOW} (for a quicker run by hand). */
    static List<StandaloneContainer.Kind> containers() {
        String only = System.getProperty("it.containers", "").trim();
        if (only.isEmpty()) {
            return Arrays.asList(StandaloneContainer.Kind.values());
        }
        return Arrays.stream(only.split(",")).map(String::trim).map(StandaloneContainer.Kind::valueOf)
                .collect(Collectors.toList());
    }

    private static Map<Map<String, String>, Double> requestCounts(HttpResponse<String> scrape) {
        return ScriptedRequests.scraped(scrape.body(), "http_requests_total");
    }

    /** The Content-Type without blanks: Tomcat writes its parameters without the blanks the application used. */
    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("none").replace(" ", "");
    }
}
