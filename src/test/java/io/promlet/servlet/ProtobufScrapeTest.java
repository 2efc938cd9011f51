package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.httpserver.HTTPServer;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.tools.ProtobufExposition;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both transports serve the protobuf format through the shared scrape handler: negotiation, gzip, HEAD and name[]. */
class ProtobufScrapeTest {
    /** What Prometheus 2.42 sends with {@code --enable-feature=native-histograms}. */
    private static final String NATIVE_HISTOGRAMS_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;"
            + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CollectorRegistry registry = new CollectorRegistry();
    private HTTPServer httpServer;
    private JettyApp jetty;

    @BeforeEach
    void start() throws Exception {
        Counter.builder().name("requests_total").help("Requests.").register(registry).inc(3);
        NativeBuckets buckets = new NativeBuckets(3, 0x1p-128, 1, new int[] {0, 8}, new long[] {2, 1}, new int[0], new long[0]);
        registry.register(() -> List.<MetricFamily>of(new HistogramMetricFamily("latency_seconds", "Latency.", List.of())
                .add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {Double.POSITIVE_INFINITY}, new long[] {4}, 4.5,
                        null, Double.NaN, buckets))));
        httpServer = HTTPServer.builder().host("127.0.0.1").port(0).registry(registry).build();
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new MetricsServlet(registry)), "/metrics");
        jetty = JettyApp.start(context);
    }

    @AfterEach
    void stop() throws Exception {
        httpServer.close();
        jetty.close();
    }

    private String metricsUri(String transport) {
        return transport.equals("httpserver") ? "http://127.0.0.1:" + httpServer.getPort() + "/metrics" : jetty.base() + "/metrics";
    }

    private HttpResponse<byte[]> send(String method, String uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"httpserver", "servlet"})
    void prometheusWithNativeHistogramsGetsProtobuf(String transport) throws Exception {
        HttpResponse<byte[]> response = send("GET", metricsUri(transport), "Accept", NATIVE_HISTOGRAMS_ACCEPT);

        assertEquals(200, response.statusCode());
        assertEquals(PROTOBUF, response.headers().firstValue("Content-Type").orElseThrow());
        assertScrape(ProtobufExposition.parse(response.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"httpserver", "servlet"})
    void gzipped(String transport) throws Exception {
        HttpResponse<byte[]> response = send("GET", metricsUri(transport), "Accept", NATIVE_HISTOGRAMS_ACCEPT,
                "Accept-Encoding", "gzip");

        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElseThrow());
        assertScrape(ProtobufExposition.parse(gunzip(response.body())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"httpserver", "servlet"})
    void headHasTheContentTypeAndNoBody(String transport) throws Exception {
        HttpResponse<byte[]> response = send("HEAD", metricsUri(transport), "Accept", NATIVE_HISTOGRAMS_ACCEPT);

        assertEquals(200, response.statusCode());
        assertEquals(PROTOBUF, response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(0, response.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"httpserver", "servlet"})
    void nameFilter(String transport) throws Exception {
        HttpResponse<byte[]> response = send("GET", metricsUri(transport) + "?name%5B%5D=latency_seconds_count", "Accept",
                NATIVE_HISTOGRAMS_ACCEPT);

        List<Metrics.MetricFamily> families = ProtobufExposition.parse(response.body());
        assertEquals(List.of("latency_seconds"), families.stream().map(Metrics.MetricFamily::getName).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"httpserver", "servlet"})
    void aClientThatDoesNotAskForProtobufGetsText(String transport) throws Exception {
        HttpResponse<byte[]> response = send("GET", metricsUri(transport), "Accept", "*/*");

        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).contains("requests_total 3.0\n"));
    }

    private static void assertScrape(List<Metrics.MetricFamily> families) {
        assertEquals(List.of("requests_total", "latency_seconds"), families.stream().map(Metrics.MetricFamily::getName).toList());
        assertEquals(3, families.get(0).getMetric(0).getCounter().getValue());
        Metrics.Histogram h = families.get(1).getMetric(0).getHistogram();
        assertEquals(4, h.getSampleCount());
        assertEquals(1, h.getZeroCount());
        assertEquals(3, h.getSchema());
        assertEquals(List.of(2L, -1L), h.getPositiveDeltaList());
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
