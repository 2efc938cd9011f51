package io.promlet.httpserver;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import io.promlet.Collector;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.tools.BrokenCollectors;
import io.promlet.tools.LogCapture;
import io.promlet.tools.RawHttp;
import io.promlet.tools.RealTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HTTPServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CollectorRegistry registry = new CollectorRegistry();
    private HTTPServer server;

    @BeforeEach
    void start() throws IOException {
        Counter.builder().name("requests_total").help("Requests.").register(registry).inc(3);
        Gauge.builder().name("queue_size").help("Queue.").register(registry).set(7);
        server = HTTPServer.builder().host("127.0.0.1").port(0).registry(registry).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void servesMetricsOnMetricsAndRootAndHealthOnItsOwnPath() throws Exception {
        assertTrue(server.getPort() > 0, "port 0 picked a free port");
        for (String path : List.of("/metrics", "/")) {
            HttpResponse<byte[]> response = send("GET", path);
            assertEquals(200, response.statusCode(), path);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(body(response).contains("requests_total 3.0\n") && body(response).contains("queue_size 7.0\n"), body(response));
        }
        HttpResponse<byte[]> healthy = send("GET", "/-/healthy");
        assertEquals(200, healthy.statusCode());
        assertEquals("Exporter is healthy.\n", body(healthy));
        assertEquals(404, send("GET", "/nothing-here").statusCode());
        assertEquals(404, send("GET", "/metricsxyz").statusCode());
    }

    @Test
    void negotiatesOpenMetrics() throws Exception {
        HttpResponse<byte[]> response = send("GET", "/metrics",
                "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;version=0.0.4;q=0.5");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(body(response).endsWith("# EOF\n"), body(response));
        assertTrue(body(response).contains("requests_total 3.0"), body(response));
    }

    @Test
    void gzipsWhenAsked() throws Exception {
        HttpResponse<byte[]> plain = send("GET", "/metrics");
        HttpResponse<byte[]> zipped = send("GET", "/metrics", "Accept-Encoding", "gzip");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertEquals(body(plain), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void filtersByName() throws Exception {
        String filtered = body(send("GET", "/metrics?name%5B%5D=queue_size"));
        assertTrue(filtered.contains("queue_size 7.0") && !filtered.contains("requests_total"), filtered);
        String both = body(send("GET", "/metrics?name[]=queue_size&name[]=requests_total"));
        assertTrue(both.contains("queue_size 7.0") && both.contains("requests_total 3.0"), both);
    }

    @Test
    void headHasNoBodyAndOtherMethodsAre405() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(405, send("POST", "/metrics").statusCode());
        assertEquals(405, send("DELETE", "/").statusCode());
        assertEquals(405, send("POST", "/-/healthy").statusCode());
        HttpResponse<byte[]> healthyHead = send("HEAD", "/-/healthy");
        assertEquals(200, healthyHead.statusCode());
        assertEquals(0, healthyHead.body().length);
    }

    @Test
    void aFailingCollectorGives500AndTheServerServesOn() throws Exception {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        registry.register(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return List.of();
        });
        failure.set(new IllegalStateException("broken collector"));
        assertEquals(500, send("GET", "/metrics").statusCode());
        failure.set(null);
        assertEquals(200, send("GET", "/metrics").statusCode());
    }

    /** Issue 13: whatever breaks while rendering, a client never gets a complete 200. */
    @Test
    void aFailureWhileRenderingIsNeverACompleteSuccess() throws Exception {
        assertScrapeFails(BrokenCollectors.unrenderableAfter(30_000), true);
        assertScrapeFails(BrokenCollectors.nullFamilyAfter(30_000), true);
        assertScrapeFails(BrokenCollectors.unrenderableAfter(3_000_000), false);
    }

    private static void assertScrapeFails(Collector broken, boolean expect500) throws Exception {
        CollectorRegistry brokenRegistry = new CollectorRegistry();
        brokenRegistry.register(broken);
        try (HTTPServer brokenServer = HTTPServer.builder().host("127.0.0.1").registry(brokenRegistry).build()) {
            BrokenCollectors.assertScrapeFails(brokenServer.getPort(), "/metrics", expect500);
            assertEquals(200, RawHttp.get(brokenServer.getPort(), "/-/healthy").status(), "serves on");
        }
    }

    /** Issue 13: a query that cannot be decoded is the client's error: 400, and nothing logged. */
    @Test
    void aMalformedQueryGets400() throws Exception {
        try (LogCapture log = LogCapture.of("io.promlet")) {
            for (String query : List.of("?name%5B%5D=%ZZ", "?name%5B%5D=%E2%80", "?name%5B%5D=%", "?x=%E2%80&name%5B%5D=jobs_total")) {
                RawHttp.Response r = RawHttp.get(server.getPort(), "/metrics" + query);
                assertEquals(400, r.status(), query + " " + r.text());
                assertFalse(r.text().contains("jobs_total 3.0"), r.text());
            }
            assertEquals(List.of(), log.messages());
        }
    }

    /** Issue 13: an Error from a collector is a 500, as on the servlet, not a connection closed without an answer. */
    @Test
    void aCollectorThrowingAnErrorGives500() throws Exception {
        registry.register(BrokenCollectors.missingClass());
        RawHttp.Response r = RawHttp.get(server.getPort(), "/metrics");
        assertEquals(500, r.status(), r.text());
        assertTrue(r.text().contains("NoClassDefFoundError"), r.text());
        assertEquals(200, send("GET", "/-/healthy").statusCode());
    }

    @Test
    void basicAuthentication() throws Exception {
        server.close();
        server = HTTPServer.builder().host("127.0.0.1").registry(registry)
                .authenticator(new BasicAuthenticator("metrics") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return user.equals("prometheus") && password.equals("s3cret");
                    }
                }).build();
        assertEquals(401, send("GET", "/metrics").statusCode());
        assertEquals(401, send("GET", "/metrics", "Authorization", basic("prometheus", "wrong")).statusCode());
        assertEquals(401, send("GET", "/-/healthy").statusCode());
        HttpResponse<byte[]> ok = send("GET", "/metrics", "Authorization", basic("prometheus", "s3cret"));
        assertEquals(200, ok.statusCode());
        assertTrue(body(ok).contains("requests_total 3.0"));
    }

    @Test
    void closeFreesThePort() throws Exception {
        int port = server.getPort();
        assertEquals(200, send("GET", "/metrics").statusCode());
        server.close();
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertTrue(again.isBound());
        }
    }

    @Test
    void silentAndStalledClientsDoNotBlockScrapes() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            // More silent connections than the server has threads, and a few that stop halfway through a request.
            for (int i = 0; i < 20; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), server.getPort()));
            }
            for (int i = 0; i < 3; i++) {
                Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
                OutputStream out = stalled.getOutputStream();
                out.write("GET /metrics HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                idle.add(stalled);
            }
            AtomicReference<String> scraped = new AtomicReference<>();
            RealTools.await(Duration.ofSeconds(15), "a scrape while other clients stall", () -> {
                try {
                    HttpResponse<byte[]> response = send("GET", "/metrics");
                    scraped.set(body(response));
                    return response.statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(scraped.get().contains("queue_size 7.0"));
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    /**
     * Issue 13: more half-sent requests than the server has threads, kept open, with default JVM settings: a scrape is
     * still answered (the stalled requests are dropped after their deadline; the 30 s here are no speed assertion).
     */
    @Test
    void halfSentRequestsDoNotBlockScrapes() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getPort() + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertTrue(body(response).contains("queue_size 7.0"), body(response));
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void itsThreadsDoNotKeepTheJvmAlive(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServeAndReturn.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        assertTrue(exited, "the JVM exits after main returns; output: " + Files.readString(log));
        assertEquals(0, child.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("scraped"), Files.readString(log));
    }

    @Test
    void maxReqTimeBoundsSilentAndStalledClients() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsun.net.httpserver.maxReqTime=1", "-Dsun.net.httpserver.clockTick=200",
                "-cp", System.getProperty("java.class.path"), ServeUntilStdinCloses.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(
                    child.getInputStream(), StandardCharsets.US_ASCII)).readLine().strip());
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
                stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, readUntilClosed(silent), "the server closed the silent connection");
                assertEquals(-1, readUntilClosed(stalled), "the server closed the stalled connection");
            }
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void servesHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertEquals(0, keytool.waitFor(), () -> read(dir.resolve("keytool.log")));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        server.close();
        server = HTTPServer.builder().inetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).registry(registry)
                .httpsConfigurator(new HttpsConfigurator(serverContext)).build();
        HttpClient https = HttpClient.newBuilder().sslContext(clientContext).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("requests_total 3.0"), response.body());
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(1)).build();
        assertThrows(IOException.class, () -> client.send(plain, HttpResponse.BodyHandlers.ofString()), "plain HTTP is not served");
    }

    @Test
    void rejectsBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> HTTPServer.builder().port(70000));
        assertFalse(HTTPServer.builder().port(0) == null);
    }

    private static int readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
