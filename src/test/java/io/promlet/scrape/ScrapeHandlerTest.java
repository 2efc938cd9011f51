package io.promlet.scrape;

import io.promlet.Collector;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.exposition.OpenMetricsFormat;
import io.promlet.exposition.TextFormat;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.tools.BrokenCollectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrapeHandlerTest {
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final CollectorRegistry registry = new CollectorRegistry();
    private final Logger logger = Logger.getLogger(ScrapeHandler.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** An in-memory request and response: records what the handler sets and writes. */
    static final class Exchange implements ScrapeExchange {
        final String method;
        final Map<String, String> requestHeaders = new HashMap<>();
        final Map<String, List<String>> parameters = new HashMap<>();
        final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final AtomicBoolean closed = new AtomicBoolean();
        int status;
        Boolean hasBody;

        Exchange(String method) {
            this.method = method;
        }

        Exchange header(String name, String value) {
            requestHeaders.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        Exchange parameter(String name, String value) {
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String requestHeader(String name) {
            return requestHeaders.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public List<String> queryParameters(String name) {
            return parameters.getOrDefault(name, List.of());
        }

        @Override
        public void setResponseHeader(String name, String value) {
            if (hasBody != null) {
                throw new IllegalStateException("header " + name + " set after respond()");
            }
            responseHeaders.put(name, value);
        }

        @Override
        public OutputStream respond(int status, boolean hasBody) {
            if (this.hasBody != null) {
                throw new IllegalStateException("respond() called twice");
            }
            this.status = status;
            this.hasBody = hasBody;
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    if (closed.get() || !hasBody) {
                        throw new IllegalStateException("body written after close or without a body");
                    }
                    body.write(b, off, len);
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            };
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void registerMetrics() {
        Counter.builder().name("requests_total").help("Requests.").register(registry).inc(3);
        Gauge.builder().name("queue_size").help("Queue.").register(registry).set(7);
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void removeLogCapture() {
        logger.removeHandler(capture);
        logger.setUseParentHandlers(true);
    }

    private Exchange handled(Exchange exchange) throws IOException {
        new ScrapeHandler(registry).handle(exchange);
        assertTrue(exchange.closed.get(), "body stream closed");
        return exchange;
    }

    @Test
    void getWithoutAcceptGivesTheTextFormat() throws IOException {
        Exchange e = handled(new Exchange("GET"));
        assertEquals(200, e.status);
        assertEquals(true, e.hasBody);
        assertEquals(TextFormat.CONTENT_TYPE, e.responseHeaders.get("Content-Type"));
        assertEquals("no-store", e.responseHeaders.get("Cache-Control"));
        assertNull(e.responseHeaders.get("Content-Encoding"));
        assertEquals("""
                # HELP requests_total Requests.
                # TYPE requests_total counter
                requests_total 3.0
                # HELP queue_size Queue.
                # TYPE queue_size gauge
                queue_size 7.0
                """, e.text());
    }

    @Test
    void getWithPrometheusAcceptGivesOpenMetricsWithCreated() throws IOException {
        Exchange e = handled(new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT));
        assertEquals(200, e.status);
        assertEquals(OpenMetricsFormat.CONTENT_TYPE, e.responseHeaders.get("content-type"));
        assertTrue(e.text().startsWith("# TYPE requests counter\n# HELP requests Requests.\nrequests_total 3.0\nrequests_created "),
                e.text());
        assertTrue(e.text().endsWith("# TYPE queue_size gauge\n# HELP queue_size Queue.\nqueue_size 7.0\n# EOF\n"), e.text());
    }

    @Test
    void createdCanBeSwitchedOffForOpenMetrics() throws IOException {
        Exchange e = new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT);
        new ScrapeHandler(registry, false).handle(e);
        assertEquals("""
                # TYPE requests counter
                # HELP requests Requests.
                requests_total 3.0
                # TYPE queue_size gauge
                # HELP queue_size Queue.
                queue_size 7.0
                # EOF
                """, e.text());
    }

    @Test
    void headHasTheSameStatusAndHeadersButNoBody() throws IOException {
        Exchange get = handled(new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT).header("Accept-Encoding", "gzip"));
        Exchange head = handled(new Exchange("HEAD").header("Accept", PROMETHEUS_ACCEPT).header("Accept-Encoding", "gzip"));
        assertEquals(200, head.status);
        assertEquals(false, head.hasBody);
        assertEquals(0, head.body.size());
        assertEquals(get.responseHeaders, head.responseHeaders);
    }

    @Test
    void otherMethodsGet405WithAllow() throws IOException {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            Exchange e = handled(new Exchange(method));
            assertEquals(405, e.status, method);
            assertEquals("GET, HEAD", e.responseHeaders.get("Allow"));
            assertEquals("text/plain; charset=utf-8", e.responseHeaders.get("Content-Type"));
            assertTrue(e.text().contains(method), e.text());
        }
    }

    @Test
    void gzipWhenAccepted() throws IOException {
        String plain = handled(new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT)).text();
        for (String encoding : List.of("gzip", "deflate, gzip;q=1.0, *;q=0.5", "br;q=1, *;q=0.1", "x-gzip", "GZIP")) {
            Exchange e = handled(new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT).header("Accept-Encoding", encoding));
            assertEquals("gzip", e.responseHeaders.get("Content-Encoding"), encoding);
            assertEquals(OpenMetricsFormat.CONTENT_TYPE, e.responseHeaders.get("Content-Type"));
            String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(e.body.toByteArray())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertEquals(plain.replaceAll("requests_created \\S+", "C"), unzipped.replaceAll("requests_created \\S+", "C"));
        }
        for (String encoding : List.of("identity", "gzip;q=0", "gzip;q=0, *", "deflate, br", "*;q=0", "")) {
            Exchange e = handled(new Exchange("GET").header("Accept-Encoding", encoding));
            assertNull(e.responseHeaders.get("Content-Encoding"), encoding);
            assertTrue(e.text().startsWith("# HELP requests_total"), encoding);
        }
    }

    @Test
    void nameParametersSelectSamples() throws IOException {
        GaugeMetricFamily other = new GaugeMetricFamily("other", "Other.", List.of());
        other.addMetric(List.of(), 1);
        registry.register(() -> List.of(other));
        Exchange e = handled(new Exchange("GET").parameter("name[]", "queue_size").parameter("name[]", "other"));
        assertEquals("""
                # HELP queue_size Queue.
                # TYPE queue_size gauge
                queue_size 7.0
                # HELP other Other.
                # TYPE other gauge
                other 1.0
                """, e.text());

        Exchange created = handled(new Exchange("GET").header("Accept", PROMETHEUS_ACCEPT).parameter("name[]", "requests_created"));
        assertTrue(created.text().matches("# TYPE requests counter\n# HELP requests Requests.\nrequests_created \\S+\n# EOF\n"),
                created.text());

        Exchange none = handled(new Exchange("GET").parameter("name[]", "no_such_metric"));
        assertEquals(200, none.status);
        assertEquals("", none.text());
    }

    @Test
    void collectorThatThrowsGives500TextAndOneWarning() throws IOException {
        registry.register(new io.promlet.Collector() {
            private boolean registered;

            @Override
            public List<io.promlet.model.MetricFamily> collect() {
                if (registered) {
                    throw new IllegalStateException("database is down");
                }
                registered = true;
                return List.of();
            }
        });
        for (String method : List.of("GET", "HEAD")) {
            logged.clear();
            Exchange e = handled(new Exchange(method).header("Accept", PROMETHEUS_ACCEPT).header("Accept-Encoding", "gzip"));
            assertEquals(500, e.status);
            assertEquals("text/plain; charset=utf-8", e.responseHeaders.get("Content-Type"));
            assertNull(e.responseHeaders.get("Content-Encoding"));
            assertEquals(method.equals("GET"), e.hasBody);
            if (method.equals("GET")) {
                assertTrue(e.text().contains("IllegalStateException") && e.text().contains("database is down"), e.text());
                assertFalse(e.text().contains("requests_total"), e.text());
            }
            assertEquals(1, logged.size());
            assertEquals(Level.WARNING, logged.get(0).getLevel());
            assertTrue(logged.get(0).getMessage().contains("database is down"), logged.get(0).getMessage());
            assertSame(IllegalStateException.class, logged.get(0).getThrown().getClass());
        }
    }

    @Test
    void aFailureWhileRenderingGives500WhileTheBodyIsHeldBack() throws IOException {
        registry.register(BrokenCollectors.unrenderableAfter(30_000));
        for (String method : List.of("GET", "HEAD")) {
            Exchange e = handled(new Exchange(method).header("Accept", PROMETHEUS_ACCEPT));
            assertEquals(500, e.status, method);
            assertFalse(e.text().contains("pad_gauge"), e.text());
        }
    }

    @Test
    void aFailureAfterTheResponseStartedThrowsAndLeavesTheBodyOpen() {
        registry.register(BrokenCollectors.unrenderableAfter(3_000_000));
        Exchange e = new Exchange("GET");
        assertThrows(IOException.class, () -> new ScrapeHandler(registry).handle(e));
        assertEquals(200, e.status);
        assertTrue(e.body.size() > DeferredResponse.LIMIT, "the first MiB was sent: " + e.body.size());
        assertFalse(e.closed.get(), "closing the body would end the response as if it were whole");
        assertEquals(1, logged.size());
    }

    @Test
    void anErrorFromACollectorGives500() throws IOException {
        registry.register(BrokenCollectors.missingClass());
        Exchange e = handled(new Exchange("GET"));
        assertEquals(500, e.status);
        assertTrue(e.text().contains("NoClassDefFoundError"), e.text());
    }

    @Test
    void aCollectorIsCollectedWhenTheBodyReachesIt() throws IOException {
        registry.register(BrokenCollectors.paddingOf(3_000_000));
        AtomicLong sentBeforeCollected = new AtomicLong(-1);
        Exchange e = new Exchange("GET");
        registry.register(BrokenCollectors.afterRegistration(() -> {
            sentBeforeCollected.set(e.body.size());
            return List.of();
        }));
        new ScrapeHandler(registry).handle(e);
        assertEquals(200, e.status);
        assertTrue(sentBeforeCollected.get() > DeferredResponse.LIMIT,
                "the scrape held every family before sending: " + sentBeforeCollected.get() + " bytes sent");
    }

    @Test
    void aCollectorFailingAfterTheResponseStartedThrowsAndLeavesTheBodyOpen() {
        registry.register(BrokenCollectors.paddingOf(3_000_000));
        registry.register(BrokenCollectors.missingClass());
        Exchange e = new Exchange("GET");
        IOException thrown = assertThrows(IOException.class, () -> new ScrapeHandler(registry).handle(e));
        assertTrue(thrown.getMessage().contains("NoClassDefFoundError"), thrown.getMessage());
        assertEquals(200, e.status);
        assertTrue(e.body.size() > DeferredResponse.LIMIT, "the first MiB was sent: " + e.body.size());
        assertFalse(e.closed.get(), "closing the body would end the response as if it were whole");
    }
}
