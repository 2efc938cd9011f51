package io.promlet.push;

import com.sun.net.httpserver.HttpServer;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.ThrowingRunnable;
import io.promlet.tools.ExpositionLines;
import io.promlet.tools.RealTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real Pushgateway: {@code /usr/bin/prometheus-pushgateway}, started by the test. */
class PushGatewayTest {
    private static final String PUSHGATEWAY = "/usr/bin/prometheus-pushgateway";
    /** bcrypt of "s3cret", as the gateway's web config wants its passwords. */
    private static final String S3CRET_BCRYPT = "$2b$04$ZqkXw4tRo37LgHi8a2BERe7zfNGL9aI1WiwEQJUc6W8J60YimwFlG";

    @TempDir
    static Path dir;
    private static Process gatewayProcess;
    private static String gatewayUrl;
    private static PushGateway gateway;
    private static final List<Process> others = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGateway() throws IOException {
        RealTools.require(PUSHGATEWAY);
        int port = RealTools.freePort();
        gatewayProcess = startGateway(port, List.of(), dir.resolve("gateway.log"));
        gatewayUrl = "http://127.0.0.1:" + port;
        RealTools.awaitReady(gatewayProcess, gatewayUrl + "/-/ready", dir.resolve("gateway.log"));
        gateway = PushGateway.builder().address("127.0.0.1:" + port).build();
    }

    @AfterAll
    static void stopGateways() throws InterruptedException {
        RealTools.stop(gatewayProcess);
        for (Process p : others) {
            RealTools.stop(p);
        }
    }

    private static Process startGateway(int port, List<String> extraArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(PUSHGATEWAY, "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=", "--log.level=warn"));
        command.addAll(extraArgs);
        return RealTools.start(command, log);
    }

    private static ExpositionLines gatewayMetrics() {
        String text = RealTools.get(gatewayUrl + "/metrics");
        assertTrue(text != null, "gateway answers /metrics");
        return ExpositionLines.parse(text);
    }

    private static Optional<Double> pushed(String name, Map<String, String> labels) {
        return gatewayMetrics().value(name, labels);
    }

    @Test
    void pushReplacesTheWholeGroup() throws IOException {
        CollectorRegistry first = new CollectorRegistry();
        Gauge.builder().name("put_a").help("A.").register(first).set(1);
        Gauge.builder().name("put_b").help("B.").register(first).set(2);
        Map<String, String> key = Map.of("instance", "i1");
        gateway.push(first, "put_job", key);
        Map<String, String> labels = Map.of("job", "put_job", "instance", "i1");
        assertEquals(Optional.of(1.0), pushed("put_a", labels));
        assertEquals(Optional.of(2.0), pushed("put_b", labels));

        CollectorRegistry second = new CollectorRegistry();
        Gauge.builder().name("put_a").help("A.").register(second).set(5);
        gateway.push(second, "put_job", key);
        assertEquals(Optional.of(5.0), pushed("put_a", labels));
        assertEquals(Optional.empty(), pushed("put_b", labels), "PUT removed what the second push lacks");
    }

    @Test
    void pushAddReplacesOnlyMetricsOfTheSameName() throws IOException {
        CollectorRegistry first = new CollectorRegistry();
        Gauge.builder().name("post_a").help("A.").register(first).set(1);
        Gauge.builder().name("post_b").help("B.").register(first).set(2);
        gateway.push(first, "post_job");

        CollectorRegistry second = new CollectorRegistry();
        Gauge.builder().name("post_a").help("A.").register(second).set(7);
        Gauge.builder().name("post_c").help("C.").register(second).set(3);
        gateway.pushAdd(second, "post_job");
        Map<String, String> labels = Map.of("job", "post_job");
        assertEquals(Optional.of(7.0), pushed("post_a", labels));
        assertEquals(Optional.of(2.0), pushed("post_b", labels), "POST keeps other names");
        assertEquals(Optional.of(3.0), pushed("post_c", labels));
    }

    @Test
    void deleteRemovesOnlyThatGroup() throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.builder().name("del_a").help("A.").register(registry).set(1);
        gateway.push(registry, "del_job", Map.of("instance", "gone"));
        gateway.push(registry, "del_job", Map.of("instance", "kept"));
        gateway.delete("del_job", Map.of("instance", "gone"));
        assertEquals(Optional.empty(), pushed("del_a", Map.of("job", "del_job", "instance", "gone")));
        assertEquals(Optional.of(1.0), pushed("del_a", Map.of("job", "del_job", "instance", "kept")));
    }

    @Test
    void jobsAndGroupingValuesWithSlashesSpacesAndEmptyValuesArriveIntact() throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        Counter.builder().name("odd_total").help("Odd keys.").register(registry).inc(3);
        Map<String, String> key = new LinkedHashMap<>();
        key.put("path", "/var/lib/x");
        key.put("spaced", "with spaces");
        key.put("empty", "");
        key.put("plus", "a+b=c&d?e#f%g");
        key.put("unicode", "grüße");
        gateway.push(registry, "nightly/batch job", key);
        Map<String, String> labels = new LinkedHashMap<>(key);
        labels.put("job", "nightly/batch job");
        ExpositionLines.Line line = gatewayMetrics().find("odd_total", labels)
                .orElseThrow(() -> new AssertionError("odd_total" + labels + " not on the gateway"));
        assertEquals(3.0, line.value());
        assertEquals("", line.labels().getOrDefault("empty", ""));

        gateway.delete("nightly/batch job", key);
        assertEquals(Optional.empty(), pushed("odd_total", labels), "the same key addresses the same group");
    }

    @Test
    void histogramsArriveWithEveryBucket() throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        Histogram jobs = Histogram.builder().name("hist_job_duration_seconds").help("Job time.")
                .buckets(1, 10).register(registry);
        jobs.observe(0.5);
        jobs.observe(5);
        gateway.push(registry, "hist_job");
        ExpositionLines metrics = gatewayMetrics();
        Map<String, String> job = Map.of("job", "hist_job");
        assertEquals(Optional.of(1.0), metrics.value("hist_job_duration_seconds_bucket", with(job, "le", "1")));
        assertEquals(Optional.of(2.0), metrics.value("hist_job_duration_seconds_bucket", with(job, "le", "+Inf")));
        assertEquals(Optional.of(2.0), metrics.value("hist_job_duration_seconds_count", job));
        assertEquals(Optional.of(5.5), metrics.value("hist_job_duration_seconds_sum", job));
    }

    @Test
    void theGatewaysRefusalIsAnIOExceptionWithItsStatusAndMessage() throws IOException {
        CollectorRegistry gauge = new CollectorRegistry();
        Gauge.builder().name("clash_value").help("Gauge.").register(gauge).set(1);
        gateway.push(gauge, "clash_job_a");
        CollectorRegistry summaryLike = new CollectorRegistry();
        summaryLike.register(() -> List.of(new io.promlet.model.SummaryMetricFamily("clash_value", "Summary.", List.of())
                .addMetric(List.of(), 1, 2)));
        PushGatewayException e = assertThrows(PushGatewayException.class, () -> gateway.push(summaryLike, "clash_job_b"));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("400") && e.getMessage().contains("clash_job_b"), e.getMessage());
        assertTrue(e.responseBody().contains("clash_value"), e.responseBody());
    }

    @Test
    void badJobsAndGroupingKeysAreRejectedBeforeSending() {
        CollectorRegistry registry = new CollectorRegistry();
        assertThrows(IllegalArgumentException.class, () -> gateway.push(registry, ""));
        assertThrows(IllegalArgumentException.class, () -> gateway.push(registry, "j", Map.of("bad-name", "v")));
        assertThrows(IllegalArgumentException.class, () -> gateway.push(registry, "j", Map.of("job", "v")));
        assertThrows(NullPointerException.class, () -> gateway.push(registry, null));
        assertThrows(IllegalArgumentException.class, () -> PushGateway.builder().header("Host", "x"));
    }

    @Test
    void aGatewayThatIsDownGivesAClearIOExceptionAtOnce() throws IOException {
        int closedPort = RealTools.freePort();
        PushGateway down = PushGateway.builder().address("127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1)).build();
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> down.push(new CollectorRegistry(), "down_job")));
        assertTrue(e.getMessage().contains("PUT http://127.0.0.1:" + closedPort + "/metrics/job/down_job"), e.getMessage());
    }

    @Test
    void aGatewayThatNeverAnswersTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PushGateway stalled = PushGateway.builder().address("127.0.0.1:" + silent.getLocalPort())
                    .requestTimeout(Duration.ofMillis(500)).build();
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> stalled.push(new CollectorRegistry(), "stalled_job")));
            assertTrue(e.toString().toLowerCase().contains("timed out"), e.toString());
        }
    }

    @Test
    void aGatewayThatStallsInTheBodyOfItsAnswerTimesOutAndItsConnectionIsClosed() throws IOException {
        try (StallingGateway stalling = new StallingGateway(StallingGateway.SHORT_BODY)) {
            PushGateway oneSecond = withOneSecondTimeouts(stalling);
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(IOException.class, () -> oneSecond.push(new CollectorRegistry(), "stalled_body_job")));
            assertTrue(e.getMessage().contains("timed out") && e.getMessage().contains("stalled_body_job"), e.getMessage());
            RealTools.await(Duration.ofSeconds(10), "the client to close the stalled connection",
                    () -> stalling.closedByClient() == 1);
        }
    }

    @Test
    void anEndlessErrorAnswerIsCutShortAndItsStartReported() throws IOException {
        String text = "storage exploded\n".repeat(60);
        byte[] chunk = (Integer.toHexString(text.length()) + "\r\n" + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
        StallingGateway.AnswerStart endless = out -> {
            out.write("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // 64 MiB, far more than socket buffers hold, and no last chunk: the client must stop reading by itself.
            for (int sent = 0; sent < 64 << 20; sent += chunk.length) {
                out.write(chunk);
            }
        };
        try (StallingGateway exploding = new StallingGateway(endless)) {
            PushGateway oneSecond = withOneSecondTimeouts(exploding);
            PushGatewayException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThrows(PushGatewayException.class, () -> oneSecond.push(new CollectorRegistry(), "exploding_job")));
            assertEquals(500, e.statusCode());
            assertTrue(e.responseBody().startsWith("storage exploded\n") && e.responseBody().endsWith("...")
                    && e.responseBody().length() <= 2003, e.responseBody());
            RealTools.await(Duration.ofSeconds(10), "the client to close the connection", () -> exploding.closedByClient() == 1);
        }
    }

    @Test
    void aFailingGatewayGivesItsStatusAndTheRequestCarriesAuthAndHeaders() throws IOException {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/", exchange -> {
            seen.add(Map.of("method", exchange.getRequestMethod(),
                    "path", exchange.getRequestURI().getRawPath(),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "tenant", String.valueOf(exchange.getRequestHeaders().getFirst("X-Tenant")),
                    "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "storage exploded".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        failing.start();
        try {
            PushGateway pg = PushGateway.builder().address("127.0.0.1:" + failing.getAddress().getPort())
                    .bearerToken("tok3n").header("X-Tenant", "team-a").build();
            PushGatewayException e = assertThrows(PushGatewayException.class,
                    () -> pg.pushAdd(new CollectorRegistry(), "fail_job", Map.of("instance", "a b")));
            assertEquals(500, e.statusCode());
            assertTrue(e.getMessage().contains("500") && e.getMessage().contains("storage exploded"), e.getMessage());
            assertEquals(Map.of("method", "POST", "path", "/metrics/job/fail_job/instance/a%20b",
                    "authorization", "Bearer tok3n", "tenant", "team-a",
                    "contentType", "text/plain; version=0.0.4; charset=utf-8"), seen.get(0));
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void thePeriodicPusherSurvivesAGatewayThatIsDownAndPushesOnceItIsUp() throws Exception {
        int port = RealTools.freePort();
        PushGateway later = PushGateway.builder().address("127.0.0.1:" + port)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)).build();
        CollectorRegistry registry = new CollectorRegistry();
        Gauge progress = Gauge.builder().name("periodic_progress").help("Progress.").register(registry);
        progress.set(1);
        String url = "http://127.0.0.1:" + port;
        Map<String, String> labels = Map.of("job", "periodic_job", "instance", "w1");
        try (PeriodicPusher pusher = later.schedule(registry, "periodic_job", Map.of("instance", "w1"), Duration.ofMillis(100))) {
            RealTools.await(Duration.ofSeconds(10), "a pusher thread", () -> pusherThreads().size() == 1);
            assertTrue(pusherThreads().get(0).isDaemon());

            Process late = startGateway(port, List.of(), dir.resolve("late-gateway.log"));
            others.add(late);
            RealTools.awaitReady(late, url + "/-/ready", dir.resolve("late-gateway.log"));
            RealTools.await(Duration.ofSeconds(20), "the pusher's next push after failures", () ->
                    metricsAt(url).value("periodic_progress", labels).equals(Optional.of(1.0)));
            progress.set(2);
            RealTools.await(Duration.ofSeconds(20), "a later periodic push", () ->
                    metricsAt(url).value("periodic_progress", labels).equals(Optional.of(2.0)));
            assertEquals(1, pusherThreads().size(), "still one thread");
            progress.set(3);
            pusher.close();
            assertEquals(Optional.of(3.0), metricsAt(url).value("periodic_progress", labels), "close pushed a last time");
            RealTools.await(Duration.ofSeconds(10), "the pusher thread to end", () -> pusherThreads().isEmpty());
        }
    }

    @Test
    void thePeriodicPusherKeepsGoingThroughErrorAnswers() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer flaky = countingGateway(requests, n -> n <= 3 ? 500 : 200);
        CollectorRegistry throwing = new CollectorRegistry();
        AtomicInteger collects = new AtomicInteger();
        throwing.register(() -> {
            if (collects.incrementAndGet() == 3) {
                throw new IllegalStateException("collector bug");
            }
            return List.of();
        });
        try (PeriodicPusher pusher = PushGateway.builder().address("127.0.0.1:" + flaky.getAddress().getPort()).build()
                .schedule(throwing, "flaky_job", Map.of(), Duration.ofMillis(50))) {
            RealTools.await(Duration.ofSeconds(20), "pushes after three 500s and a failing collector",
                    () -> requests.get() >= 6);
            assertEquals(1, pusherThreads().size());
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void closingAPusherDoesNotWaitForAStalledPushInFlight() throws Exception {
        AtomicInteger answers = new AtomicInteger();
        StallingGateway.AnswerStart firstStalls = out -> {
            if (answers.incrementAndGet() == 1) {
                StallingGateway.SHORT_BODY.write(out);
            } else {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        };
        try (StallingGateway stalling = new StallingGateway(firstStalls)) {
            // A request timeout far beyond the deadline below: close() must abort the stalled push, not outwait it.
            PeriodicPusher pusher = PushGateway.builder().address(stalling.address()).requestTimeout(Duration.ofMinutes(5))
                    .build().schedule(new CollectorRegistry(), "aborted_job", Map.of(), Duration.ofHours(1));
            RealTools.await(Duration.ofSeconds(10), "the first push to stall", () -> stalling.requests() == 1);
            assertTimeoutPreemptively(Duration.ofSeconds(30), pusher::close);
            assertEquals(2, stalling.requests(), "close() pushed a last time");
            RealTools.await(Duration.ofSeconds(10), "the stalled connection closed", () -> stalling.closedByClient() >= 1);
        }
    }

    @Test
    void closingAPusherWhoseGatewayStallsStillPushesALastTimeWithinTheTimeouts() throws Exception {
        try (StallingGateway stalling = new StallingGateway(StallingGateway.SHORT_BODY)) {
            PeriodicPusher pusher = withOneSecondTimeouts(stalling)
                    .schedule(new CollectorRegistry(), "stalled_pusher_job", Map.of(), Duration.ofHours(1));
            RealTools.await(Duration.ofSeconds(10), "the first push to stall", () -> stalling.requests() == 1);
            assertTimeoutPreemptively(Duration.ofSeconds(30), pusher::close);
            assertEquals(2, stalling.requests(), "close() pushed a last time");
            RealTools.await(Duration.ofSeconds(10), "both connections closed", () -> stalling.closedByClient() == 2);
            RealTools.await(Duration.ofSeconds(10), "the pusher thread to end", () -> pusherThreads().isEmpty());
        }
    }

    @Test
    void thePeriodicPusherKeepsItsScheduleThroughCollectorErrorsAndLogsEachFailureOnce() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer accepting = countingGateway(requests, n -> 200);
        CollectorRegistry registry = new CollectorRegistry();
        AtomicInteger collects = new AtomicInteger();
        registry.register(() -> {
            int n = collects.incrementAndGet();   // 1 is the registration's collect
            if (n >= 2 && n <= 4) {
                throw new NoClassDefFoundError("com/example/MissingAtRunTime");
            }
            if (n >= 5 && n <= 6) {
                throw new IllegalStateException("collector bug");
            }
            return List.of();
        });
        PushGateway pg = PushGateway.builder().address("127.0.0.1:" + accepting.getAddress().getPort()).build();
        try {
            List<String> log = pusherLog(() -> {
                try (PeriodicPusher pusher = pg.schedule(registry, "erroring_job", Map.of(), Duration.ofMillis(20))) {
                    RealTools.await(Duration.ofSeconds(20), "pushes after the collector's errors", () -> requests.get() >= 3);
                }
            });
            assertEquals(1, log.stream().filter(line -> line.contains("NoClassDefFoundError")).count(), String.join("\n", log));
            assertEquals(1, log.stream().filter(line -> line.contains("collector bug")).count(), String.join("\n", log));
            assertEquals(1, log.stream().filter(line -> line.startsWith("INFO") && line.contains("succeeded again")).count(),
                    String.join("\n", log));
        } finally {
            accepting.stop(0);
        }
    }

    @Test
    void httpsWithBasicAuth() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(RealTools.require("/usr/bin/openssl").toString(), "req", "-x509",
                "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), () -> read(dir.resolve("openssl.log")));
        Path webConfig = dir.resolve("web.yml");
        Files.writeString(webConfig, "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key
                + "\nbasic_auth_users:\n  pusher: " + S3CRET_BCRYPT + "\n");
        int port = RealTools.freePort();
        Process secure = startGateway(port, List.of("--web.config.file=" + webConfig), dir.resolve("tls-gateway.log"));
        others.add(secure);

        SSLContext trustingOurCert = sslContextTrusting(cert);
        PushGateway authorized = PushGateway.builder().address("127.0.0.1:" + port).sslContext(trustingOurCert)
                .basicAuth("pusher", "s3cret").build();
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.builder().name("tls_value").help("Over TLS.").register(registry).set(42);
        RealTools.await(Duration.ofSeconds(30), "the TLS gateway to accept a push", () -> {
            try {
                authorized.push(registry, "tls_job");
                return true;
            } catch (IOException e) {
                assertTrue(secure.isAlive(), () -> read(dir.resolve("tls-gateway.log")));
                return false;
            }
        });
        PushGateway anonymous = PushGateway.builder().url(java.net.URI.create("https://127.0.0.1:" + port))
                .sslContext(trustingOurCert).build();
        PushGatewayException e = assertThrows(PushGatewayException.class, () -> anonymous.push(registry, "tls_job"));
        assertEquals(401, e.statusCode());
        PushGateway wrongPassword = PushGateway.builder().address("127.0.0.1:" + port).sslContext(trustingOurCert)
                .basicAuth("pusher", "guess").build();
        assertEquals(401, assertThrows(PushGatewayException.class, () -> wrongPassword.delete("tls_job")).statusCode());
        authorized.delete("tls_job");
    }

    private static SSLContext sslContextTrusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static ExpositionLines metricsAt(String url) {
        String text = RealTools.get(url + "/metrics");
        return ExpositionLines.parse(text == null ? "" : text);
    }

    /** A started gateway stand-in that counts requests and answers the n-th (from 1) with {@code status(n)}. */
    private static HttpServer countingGateway(AtomicInteger requests, IntUnaryOperator status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.applyAsInt(requests.incrementAndGet()), -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static PushGateway withOneSecondTimeouts(StallingGateway stalling) {
        return PushGateway.builder().address(stalling.address())
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1)).build();
    }

    /** What the periodic pusher logs while the action runs, one "LEVEL message thrown" line a record. */
    private static List<String> pusherLog(ThrowingRunnable<Exception> action) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage() + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(PeriodicPusher.class.getName());
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return lines;
    }

    private static List<Thread> pusherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("promlet-pusher") && t.isAlive()).toList();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(name, value);
        return all;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

}
