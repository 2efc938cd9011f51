package io.promlet.httpserver;

import io.promlet.CollectorRegistry;
import io.promlet.Gauge;
import io.promlet.tools.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24: clients that send half a request and stall, held open, against {@link HTTPServer} at its defaults and
 * with no JVM-wide property: a scrape is still answered well inside Prometheus' default scrape timeout of 10 s. The
 * bound asserted, 5 s, is the issue's; the server at its earlier defaults (5 threads, 50 queued, stalled requests
 * dropped after 10 s) took 13 s with 20 such clients and closed the scrape's connection with 200.
 */
class SlowClientsTest {
    private static final long BOUND_NANOS = 5_000_000_000L;
    private static final byte[] HALF_REQUEST = "GET /metrics HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII);
    private static final CollectorRegistry REGISTRY = new CollectorRegistry();
    private static HTTPServer server;

    @BeforeAll
    static void start() throws IOException {
        Gauge.builder().name("queue_size").help("Queue.").register(REGISTRY).set(7);
        server = HTTPServer.builder().host("127.0.0.1").port(0).registry(REGISTRY).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Clients that send half a request, wait until the server drops them, and at once do it again: however fast they
     * come back, the scrape waits only for the slices of the stalled requests ahead of it.
     */
    @Test
    void aScrapeIsAnsweredWithinFiveSecondsWhile200ClientsReconnectAsSoonAsTheyAreDropped() throws Exception {
        AtomicBoolean attacking = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Thread client = new Thread(() -> {
                    while (attacking.get()) {
                        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
                            socket.getOutputStream().write(HALF_REQUEST);
                            socket.setSoTimeout(200);
                            while (attacking.get() && !closed(socket)) {
                                // the server has not dropped it yet
                            }
                        } catch (IOException e) {
                            // refused or reset: come back
                        }
                    }
                });
                client.setDaemon(true);
                client.start();
                clients.add(client);
            }
            for (int scrape = 0; scrape < 3; scrape++) {
                long start = System.nanoTime();
                RawHttp.Response response = RawHttp.get(server.getPort(), "/metrics");
                long nanos = System.nanoTime() - start;
                System.out.printf("200 reconnecting clients: scrape %d answered %d in %d ms%n", scrape,
                        response.status(), nanos / 1_000_000);
                assertTrue(response.completeSuccess() && response.text().contains("queue_size 7.0"), response.text());
                assertTrue(nanos < BOUND_NANOS, "scrape " + scrape + " took " + nanos / 1_000_000 + " ms");
            }
        } finally {
            attacking.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
        }
    }

    /** Whether the server has closed the socket; false after 200 ms without a sign of it. */
    private static boolean closed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static int readUntilClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void aScrapeIsAnsweredWithinFiveSecondsWhileClientsHoldHalfSentRequests(int clients) throws IOException {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
                stalled.add(socket);
                socket.getOutputStream().write(HALF_REQUEST);
                socket.getOutputStream().flush();
            }
            // Three scrapes in a row, as Prometheus would send them during the flood: each must get through in time.
            for (int scrape = 0; scrape < 3; scrape++) {
                long start = System.nanoTime();
                RawHttp.Response response = RawHttp.get(server.getPort(), "/metrics");
                long nanos = System.nanoTime() - start;
                System.out.printf("%d half-sent requests: scrape %d answered %d in %d ms%n", clients, scrape,
                        response.status(), nanos / 1_000_000);
                assertTrue(response.completeSuccess() && response.text().contains("queue_size 7.0"), response.text());
                assertTrue(nanos < BOUND_NANOS, "scrape " + scrape + " with " + clients + " half-sent requests took "
                        + nanos / 1_000_000 + " ms");
            }
            // And none is kept: the server closes every stalled connection (after its deadline, or at once when it
            // made room in the queue), 30 s at most each for a busy machine.
            for (Socket s : stalled) {
                s.setSoTimeout(30_000);
                assertEquals(-1, readUntilClosed(s), "the server closed a stalled connection");
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }
}
