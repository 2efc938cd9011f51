package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.tools.RealTools;
import io.restassured.path.json.JsonPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server scrapes two instances of the reference application, each a standalone Jetty with its own
 * registry, found through file-based service discovery. Prometheus must negotiate OpenMetrics, parse what promlet
 * writes, and aggregate the counters and summaries of both instances to exactly the requests that were sent.
 */
class PrometheusScrapeIT {

    private static final String METRICS_PATH = StandaloneContainer.CONTEXT_PATH + "/metrics";
    private static final int SLOW_MILLIS = 300;
    private static final String USERS = "/users/{id}";
    /** Scrapes happen every second; allow for discovery, a slow machine and a few missed scrapes. */
    private static final Duration SCRAPED_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aggregatesBothInstancesExactly(@TempDir Path dir) throws Exception {
        Path executable = RealTools.require(PrometheusServer.EXECUTABLE);
        ScriptedRequests toFirst = ScriptedRequests.helloUsersAndSlow(5, SLOW_MILLIS);
        ScriptedRequests toSecond = ScriptedRequests.helloUsersAndSlow(3, SLOW_MILLIS);
        int total = toFirst.size() + toSecond.size();

        try (StandaloneContainer first = startJetty(dir.resolve("first"));
             StandaloneContainer second = startJetty(dir.resolve("second"));
             PrometheusServer prometheus = PrometheusServer.start(executable,
                     Files.createDirectories(dir.resolve("prometheus")), METRICS_PATH,
                     List.of(first.address(), second.address()))) {
            toFirst.sendTo(first);
            toSecond.sendTo(second);

            String job = "{job=\"" + PrometheusServer.JOB + "\"}";
            prometheus.await("sum(http_requests_total) = " + total, SCRAPED_TIMEOUT,
                    () -> prometheus.value("sum(http_requests_total" + job + ")"), sum -> sum == total);

            JsonPath targets = prometheus.targets();
            JsonPath metadata = prometheus.targetMetadata();
            List<Double> slowMedians = prometheus.query(
                    "http_request_duration_seconds{path=\"/slow\",quantile=\"0.5\"}").getList(
                            "data.result.value.collect { it[1] as double }", Double.class);
            assertAll(
                    () -> assertEquals(Set.of("up"), Set.copyOf(targets.getList("data.activeTargets.health")),
                            "health of the targets"),
                    () -> assertEquals(Set.of(first.address(), second.address()),
                            Set.copyOf(targets.getList("data.activeTargets.labels.instance")), "targets"),
                    () -> assertEquals(List.of("", ""), targets.getList("data.activeTargets.lastError"),
                            "scrape errors"),
                    () -> assertEquals(Map.of(first.address(), (double) toFirst.size(),
                                    second.address(), (double) toSecond.size()),
                            byInstance(prometheus.query("sum by (instance) (http_requests_total" + job + ")")),
                            "requests per instance"),
                    () -> assertEquals(toFirst.countOf(USERS) + toSecond.countOf(USERS),
                            prometheus.value("sum(http_requests_total{path=\"" + USERS + "\"})"),
                            "requests to the route template /users/{id}, both instances"),
                    () -> assertEquals(total, prometheus.value("sum(http_request_duration_seconds_count" + job + ")"),
                            "observed durations"),
                    () -> assertEquals(2, slowMedians.size(), "a /slow median from each instance"),
                    () -> assertTrue(slowMedians.stream().allMatch(median -> median >= SLOW_MILLIS / 1000.0 * 0.99
                            && median < 10), "/slow medians are about " + SLOW_MILLIS + " ms: " + slowMedians),
                    // An OpenMetrics scrape names the counter family without _total; the text format names it with.
                    () -> assertEquals(Set.of("counter"), Set.copyOf(metadata.getList(
                            "data.findAll { it.metric == 'http_requests' }.type")),
                            "counter metadata under the OpenMetrics family name"),
                    () -> assertEquals(List.of(), metadata.getList(
                            "data.findAll { it.metric == 'http_requests_total' }"),
                            "metadata under the text format's name: Prometheus did not negotiate OpenMetrics"));
        }
    }

    private static StandaloneContainer startJetty(Path base) throws Exception {
        return StandaloneContainer.startWithWar(StandaloneContainer.Kind.JETTY_12_EE10, base, "/metrics");
    }

    private static Map<String, Double> byInstance(JsonPath answer) {
        List<Map<String, Object>> series = answer.getList("data.result");
        return series.stream().collect(Collectors.toMap(
                s -> (String) ((Map<?, ?>) s.get("metric")).get("instance"),
                s -> Double.parseDouble((String) ((List<?>) s.get("value")).get(1))));
    }
}
