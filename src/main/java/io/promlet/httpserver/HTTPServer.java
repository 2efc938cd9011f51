package io.promlet.httpserver;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.promlet.CollectorRegistry;
import io.promlet.scrape.ScrapeHandler;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A standalone metrics endpoint on the JDK's built-in HTTP server, for applications that run no servlet
 * container: {@code /metrics} (and {@code /}) serve the registry with the same content negotiation, gzip,
 * {@code name[]} filter and HEAD support as {@code MetricsServlet}; {@code /-/healthy} answers
 * {@code Exporter is healthy.}.
 *
 * <pre>{@code
 * try (HTTPServer server = HTTPServer.start(9400)) {   // the default registry, on every interface
 *     runApplication();
 * }
 *
 * HTTPServer server = HTTPServer.builder()
 *         .host("127.0.0.1").port(0)                  // 0: any free port, see getPort()
 *         .registry(registry)
 *         .authenticator(new BasicAuthenticator("metrics") {
 *             public boolean checkCredentials(String user, String password) { return ...; }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Its threads are daemon threads: the server never keeps the JVM alive. Requests run on a small bounded pool
 * (10 threads, 1000 waiting requests; beyond that, connections are closed), never on the server's dispatcher
 * thread, so one slow client cannot hold up the others. A client that connects and sends nothing holds no thread:
 * the dispatcher waits for its first byte without blocking. A client that sends part of a request and stalls is
 * disconnected 10 seconds after its first byte, and as soon as 50 ms after it gets a thread while other requests wait
 * for one (with any JVM settings; this class sets no JDK-wide property), so each stalled client ahead of a scrape
 * delays it by a few milliseconds of a thread, not seconds: 200 of them, about a second. A client
 * that stops reading a large response still holds its thread; {@code -Dsun.net.httpserver.maxRspTime=<seconds>}
 * bounds that, for every JDK HTTP server in the JVM. A failure while answering gives a 500, or, once the status is
 * sent, a broken connection: never a response that looks complete.
 */
public final class HTTPServer implements Closeable {
    private static final int THREADS = 10;
    /** Waiting exchanges cost little (the connection is open anyway); a small queue would turn scrapes away in a flood. */
    private static final int QUEUE_SIZE = 1000;
    private static final System.Logger LOGGER = System.getLogger(HTTPServer.class.getName());
    private static final byte[] HEALTHY = "Exporter is healthy.\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService ownExecutor;
    private final RequestDeadlines deadlines;

    private HTTPServer(Builder builder) throws IOException {
        InetSocketAddress address = builder.address != null ? builder.address
                : builder.host != null ? new InetSocketAddress(builder.host, builder.port) : new InetSocketAddress(builder.port);
        if (builder.httpsConfigurator != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(builder.httpsConfigurator);
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        ScrapeHandler scrape = new ScrapeHandler(builder.registry != null ? builder.registry : CollectorRegistry.defaultScrapeRegistry());
        HttpHandler metrics = exchange -> respond(exchange, () -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/metrics")) {
                scrape.handle(new HttpServerScrapeExchange(exchange));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        HttpHandler healthy = exchange -> respond(exchange, () -> {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals("/-/healthy")) {
                exchange.sendResponseHeaders(404, -1);
            } else if (method.equals("GET") || method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                boolean head = method.equals("HEAD");
                exchange.sendResponseHeaders(200, head ? -1 : HEALTHY.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(HEALTHY);
                    }
                }
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
            }
        });
        ownExecutor = builder.executor == null ? boundedDaemonPool() : null;
        // Without an executor the JDK server reads and answers requests on its dispatcher thread, one at a time.
        deadlines = new RequestDeadlines(builder.executor != null ? builder.executor : ownExecutor);
        server.setExecutor(deadlines);
        for (HttpContext context : new HttpContext[] {
                server.createContext("/", metrics), server.createContext("/metrics", metrics),
                server.createContext("/-/healthy", healthy)}) {
            context.getFilters().add(deadlines.filter());
            if (builder.authenticator != null) {
                context.setAuthenticator(builder.authenticator);
            }
        }
        startFromDaemonThread();
    }

    /**
     * Serves the default registry (in the multi-process mode, all processes' metrics) on every interface at this port.
     *
     * @throws IOException if the port cannot be bound
     */
    public static HTTPServer start(int port) throws IOException {
        return builder().port(port).build();
    }

    /** A new builder: port 0 (any free port), every interface, the default registry. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on; the one chosen when it was built with port 0. */
    public int getPort() {
        return server.getAddress().getPort();
    }

    /** Stops the server at once, closing open connections, and frees the port. */
    @Override
    public void close() {
        server.stop(0);
        deadlines.close();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "HTTPServer[" + server.getAddress() + "]";
    }

    private void startFromDaemonThread() throws IOException {
        // The dispatcher thread inherits the daemon flag of the thread that starts the server.
        Thread starter = new Thread(server::start, "promlet-httpserver-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting the metrics server");
        }
    }

    private static ExecutorService boundedDaemonPool() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_SIZE), task -> {
                    Thread t = new Thread(task, "promlet-httpserver-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The work of one exchange, which may fail with an I/O error. */
    @FunctionalInterface
    private interface Work {
        void run() throws IOException;
    }

    /**
     * Runs the work and ends the exchange. If the work fails, the response may be incomplete: closing the exchange
     * would end it normally (a chunked body with its last chunk), so the failure is thrown as an IOException
     * instead, on which the JDK server closes the connection. Any other throwable would be rethrown by the server
     * without closing the connection, leaving the client waiting.
     */
    private static void respond(HttpExchange exchange, Work work) throws IOException {
        try {
            work.run();
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            LOGGER.log(System.Logger.Level.WARNING, "Request " + exchange.getRequestURI() + " failed: " + e, e);
            throw new IOException(e);
        }
        exchange.close();
    }

    /** Builds and starts an {@link HTTPServer}. */
    public static final class Builder {
        private String host;
        private int port;
        private InetSocketAddress address;
        private CollectorRegistry registry;
        private ExecutorService executor;
        private Authenticator authenticator;
        private HttpsConfigurator httpsConfigurator;

        private Builder() {
        }

        /** The interface to listen on, such as {@code 127.0.0.1}; default every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            this.address = null;
            return this;
        }

        /**
         * The port; 0 (the default) picks a free one.
         *
         * @throws IllegalArgumentException if it is not within 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("metrics server port must be within 0..65535, got " + port);
            }
            this.port = port;
            this.address = null;
            return this;
        }

        /** The address to listen on, instead of {@link #host} and {@link #port}. */
        public Builder inetSocketAddress(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The registry to serve; default {@link CollectorRegistry#defaultRegistry()}, or in the multi-process mode
         * all processes' metrics ({@link CollectorRegistry#defaultScrapeRegistry()}).
         */
        public Builder registry(CollectorRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The threads that answer requests, instead of the server's own bounded pool. The caller owns it:
         * {@link HTTPServer#close()} does not shut it down. Use daemon threads and a bounded queue.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Authentication for every path, such as a {@link com.sun.net.httpserver.BasicAuthenticator}. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Serve HTTPS with this configuration, such as {@code new HttpsConfigurator(sslContext)}. */
        public Builder httpsConfigurator(HttpsConfigurator configurator) {
            this.httpsConfigurator = Objects.requireNonNull(configurator, "httpsConfigurator");
            return this;
        }

        /**
         * Binds the port and starts serving.
         *
         * @throws IOException if the port cannot be bound
         */
        public HTTPServer build() throws IOException {
            return new HTTPServer(this);
        }
    }
}
