package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.tools.RealTools;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference web application in a real Tomcat 11 started with the OpenTelemetry Java agent (from Maven Central,
 * its spans written by its logging exporter), its latency metric made a histogram in its {@code web.xml}, scraped in
 * OpenMetrics by Debian's Prometheus with exemplar storage: Prometheus must store exemplars on the request counter
 * and on the latency buckets, and each one's {@code trace_id} and {@code span_id} must be those of a server span the
 * agent recorded. Nothing in the application names OpenTelemetry: promlet finds the agent's current span by itself.
 */
class OpenTelemetryAgentExemplarsIT {
    private static final String REQUESTS = "http_requests_total";
    private static final String LATENCY_BUCKETS = "http_request_duration_seconds_bucket";
    /** The logging exporter's line for a span: {@code 'GET /demo/hello' : <trace id> <span id> SERVER [tracer: ...}. */
    private static final Pattern SERVER_SPAN = Pattern.compile("'[^']*' : ([0-9a-f]{32}) ([0-9a-f]{16}) SERVER ");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void prometheusStoresExemplarsOfTheTracesTheAgentRecorded(@TempDir Path dir) throws Exception {
        Path prometheusExecutable = RealTools.require(PrometheusServer.EXECUTABLE);
        Path agent = Path.of(System.getProperty("otel.agent.jar"));
        assertTrue(Files.isRegularFile(agent), "the OpenTelemetry agent from the local repository: " + agent);
        List<String> agentOptions = List.of("-javaagent:" + agent, "-Dotel.service.name=promlet-demo",
                "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
        try (StandaloneContainer tomcat = StandaloneContainer.startWithWar(StandaloneContainer.Kind.TOMCAT_11,
                histogramWar(dir), dir.resolve("tomcat"), "/hello",
                new StandaloneContainer.Settings(Map.of(), Map.of(), agentOptions));
             PrometheusServer prometheus = PrometheusServer.start(prometheusExecutable,
                     Files.createDirectories(dir.resolve("prometheus")), StandaloneContainer.CONTEXT_PATH + "/metrics",
                     List.of(tomcat.address()), List.of("--enable-feature=exemplar-storage"))) {
            for (int i = 0; i < 5; i++) {
                for (String path : List.of("/hello", "/users/" + i)) {
                    assertEquals(200, tomcat.get(path, "*/*").statusCode(), path);
                }
            }
            List<String> onRequests = prometheus.await("exemplars on " + REQUESTS, TIMEOUT,
                    () -> exemplarIds(prometheus, REQUESTS), ids -> !ids.isEmpty());
            List<String> onLatency = prometheus.await("exemplars on " + LATENCY_BUCKETS, TIMEOUT,
                    () -> exemplarIds(prometheus, LATENCY_BUCKETS), ids -> !ids.isEmpty());
            Set<String> all = new TreeSet<>(onRequests);
            all.addAll(onLatency);
            // The exporter writes a span when it ends, just after the filter recorded its request.
            Set<String> recorded = tomcat.process().await("the agent's log of the exemplars' spans", TIMEOUT,
                    () -> serverSpans(tomcat.logs()), spans -> spans.containsAll(all));
            assertAll(
                    () -> assertTrue(recorded.containsAll(onRequests), "counter exemplars " + onRequests
                            + " are server spans the agent recorded: " + recorded),
                    () -> assertTrue(recorded.containsAll(onLatency), "latency exemplars " + onLatency
                            + " are server spans the agent recorded: " + recorded));
        }
    }

    /** The reference WAR with {@code buckets} given to the filter, so that its latency metric is a histogram. */
    private static Path histogramWar(Path dir) throws IOException {
        Path war = Files.copy(Path.of(System.getProperty("it.war")), dir.resolve("demo-histogram.war"));
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path webXml = zip.getPath("WEB-INF/web.xml");
            String filterClass = "<filter-class>io.promlet.servlet.MetricsFilter</filter-class>";
            String xml = Files.readString(webXml, StandardCharsets.UTF_8);
            assertTrue(xml.contains(filterClass), "the reference web.xml declares the filter");
            Files.writeString(webXml, xml.replace(filterClass, filterClass
                    + "<init-param><param-name>buckets</param-name><param-value>0.005, 0.05, 0.5, 5</param-value>"
                    + "</init-param>"), StandardCharsets.UTF_8);
        }
        return war;
    }

    /** "trace_id span_id" of each exemplar Prometheus stored for the series of this selector. */
    private static List<String> exemplarIds(PrometheusServer prometheus, String selector) {
        List<Map<String, String>> labels = prometheus.exemplars(selector).getList("data.exemplars.labels.flatten()");
        List<String> ids = new ArrayList<>();
        for (Map<String, String> l : labels) {
            ids.add(l.get("trace_id") + " " + l.get("span_id"));
        }
        return ids;
    }

    /** "trace_id span_id" of each server span in the agent's log. */
    private static Set<String> serverSpans(String log) {
        Set<String> spans = new TreeSet<>();
        Matcher m = SERVER_SPAN.matcher(log);
        while (m.find()) {
            spans.add(m.group(1) + " " + m.group(2));
        }
        return spans;
    }
}
