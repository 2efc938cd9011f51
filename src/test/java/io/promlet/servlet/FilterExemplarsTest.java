package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.exposition.Json;
import io.promlet.tools.ProtobufExposition;
import io.promlet.tools.RealParsers;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter, with no OpenTelemetry span current, takes its exemplars from the request's traceparent header: a
 * known sampled one gives exemplars with exactly its trace id on the request counter and the latency histogram's
 * bucket, read back by the Python OpenMetrics parser and by client_java's protobuf classes; unsampled, malformed and
 * absent headers give none. Each case has its own path, so its own series and exemplar slots.
 */
class FilterExemplarsTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
    private static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited";

    private static final String[] PATHS = {"/traced", "/proto", "/async", "/unsampled", "/short", "/upper", "/zero-trace",
        "/zero-span", "/version-ff", "/plain", "/text"};
    private static final CollectorRegistry registry = new CollectorRegistry();
    private static final CollectorRegistry unsampledRegistry = new CollectorRegistry();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JettyApp app;
    private static JettyApp off;

    /** Answers 200; under /async, from another thread after startAsync, so the filter records on that thread. */
    static final class Work extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            if (req.getRequestURI().contains("/async")) {
                AsyncContext async = req.startAsync();
                async.start(async::complete);
            }
        }
    }

    private static JettyApp start(CollectorRegistry target, boolean exemplars) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(MetricsFilter.builder().registry(target).pathPatterns(PATHS)
                        .buckets(0.5, 10).nativeHistogram(true).exemplars(exemplars).build()), "/*",
                EnumSet.allOf(DispatcherType.class));
        ServletHolder work = new ServletHolder(new Work());
        work.setAsyncSupported(true);
        context.addServlet(work, "/*");
        context.addServlet(new ServletHolder(new MetricsServlet(target)), "/metrics");
        return JettyApp.start(context);
    }

    @BeforeAll
    static void startApps() throws Exception {
        app = start(registry, true);
        off = start(unsampledRegistry, false);
    }

    @AfterAll
    static void stopApps() throws Exception {
        app.close();
        off.close();
    }

    private static HttpResponse<byte[]> get(JettyApp target, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.base() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), path);
        return response;
    }

    /** Each exemplar the Python parser read: "sample{labels} -> {exemplar labels}", for samples of this path. */
    @SuppressWarnings("unchecked")
    private static List<String> openMetricsExemplars(JettyApp target, String path) throws Exception {
        String body = new String(get(target, "/metrics", "Accept", OPENMETRICS).body(), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        for (Object family : (List<Object>) Json.parse(RealParsers.openMetricsAsJson(body))) {
            for (Object sample : (List<Object>) ((Map<String, Object>) family).get("samples")) {
                Map<String, Object> s = (Map<String, Object>) sample;
                if (s.get("exemplar") != null && ((List<Object>) s.get("labels")).contains(List.of("path", path))) {
                    found.add(s.get("name") + "" + s.get("labels") + " -> " + ((Map<String, Object>) s.get("exemplar")).get("labels"));
                }
            }
        }
        return found;
    }

    /** Each exemplar in the protobuf format, for metrics of this path: "family le -> trace_id span_id". */
    private static List<String> protobufExemplars(JettyApp target, String path) throws Exception {
        List<String> found = new ArrayList<>();
        for (Metrics.MetricFamily family : ProtobufExposition.parse(get(target, "/metrics", "Accept", PROTOBUF).body())) {
            for (Metrics.Metric metric : family.getMetricList()) {
                if (metric.getLabelList().stream().noneMatch(l -> l.getName().equals("path") && l.getValue().equals(path))) {
                    continue;
                }
                if (metric.getCounter().hasExemplar()) {
                    found.add(family.getName() + " -> " + labels(metric.getCounter().getExemplar()));
                }
                for (Metrics.Bucket bucket : metric.getHistogram().getBucketList()) {
                    if (bucket.hasExemplar()) {
                        found.add(family.getName() + " le=" + bucket.getUpperBound() + " -> " + labels(bucket.getExemplar()));
                    }
                }
                for (Metrics.Exemplar e : metric.getHistogram().getExemplarsList()) {
                    found.add(family.getName() + " native -> " + labels(e));
                }
            }
        }
        return found;
    }

    private static String labels(Metrics.Exemplar e) {
        StringBuilder s = new StringBuilder();
        e.getLabelList().forEach(l -> s.append(l.getName()).append('=').append(l.getValue()).append(' '));
        return s.toString().trim();
    }

    @Test
    void aSampledTraceparentGivesExemplarsWithItsTraceIdInOpenMetrics() throws Exception {
        get(app, "/traced", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        List<String> exemplars = openMetricsExemplars(app, "/traced");
        String ids = "[[trace_id, " + TRACE_ID + "], [span_id, " + SPAN_ID + "]]";
        assertEquals(new TreeSet<>(List.of(
                        "http_request_duration_seconds_bucket[[method, GET], [path, /traced], [le, 0.5]] -> " + ids,
                        "http_requests_total[[method, GET], [path, /traced], [status, 200]] -> " + ids)),
                new TreeSet<>(exemplars));
    }

    @Test
    void aSampledTraceparentGivesExemplarsWithItsTraceIdInProtobuf() throws Exception {
        get(app, "/proto", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        String ids = "trace_id=" + TRACE_ID + " span_id=" + SPAN_ID;
        assertEquals(new TreeSet<>(List.of("http_request_duration_seconds le=0.5 -> " + ids, "http_requests_total -> " + ids)),
                new TreeSet<>(protobufExemplars(app, "/proto")));
    }

    @Test
    void anAsyncRequestRecordedOnAnotherThreadStillHasItsTrace() throws Exception {
        get(app, "/async", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        List<String> exemplars = protobufExemplars(app, "/async");
        assertEquals(2, exemplars.size(), exemplars.toString());
        assertTrue(exemplars.stream().allMatch(e -> e.contains("trace_id=" + TRACE_ID)), exemplars.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/unsampled, 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            "/short, 00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "/upper, 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "/zero-trace, 00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "/zero-span, 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "/version-ff, ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    void unsampledOrMalformedHeadersGiveNone(String path, String traceparent) throws Exception {
        get(app, path, "traceparent", traceparent);
        assertEquals(List.of(), openMetricsExemplars(app, path));
        assertEquals(List.of(), protobufExemplars(app, path));
    }

    @Test
    void noHeaderGivesNone() throws Exception {
        get(app, "/plain");
        assertEquals(List.of(), openMetricsExemplars(app, "/plain"));
        assertEquals(List.of(), protobufExemplars(app, "/plain"));
    }

    @Test
    void switchedOffTheFilterIgnoresTheHeader() throws Exception {
        get(off, "/traced", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        assertEquals(List.of(), openMetricsExemplars(off, "/traced"));
        assertEquals(List.of(), protobufExemplars(off, "/traced"));
    }

    @Test
    void theTextFormatHasNoExemplars() throws Exception {
        get(app, "/text", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        String text = new String(get(app, "/metrics", "Accept", "text/plain;version=0.0.4").body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("path=\"/text\""), text);
        assertTrue(!text.contains(TRACE_ID), text);
    }
}
