package io.promlet.scrape;

import io.promlet.exposition.ExpositionFormat;
import io.promlet.internal.AcceptHeader;
import io.promlet.CollectorRegistry;
import io.promlet.model.MetricFamily;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Answers a scrape: the one handler behind the servlet and the standalone HTTP server.
 *
 * <pre>{@code
 * ScrapeHandler handler = new ScrapeHandler(CollectorRegistry.defaultRegistry());
 * handler.handle(exchange);   // exchange adapts the transport's request and response
 * }</pre>
 *
 * <ul>
 *   <li>GET and HEAD only (HEAD: same status and headers, no body); other methods get 405 with
 *       {@code Allow: GET, HEAD}.</li>
 *   <li>The format follows the {@code Accept} header ({@link ExpositionFormat#negotiate(String)}).</li>
 *   <li>Repeated {@code name[]} query parameters select samples by name, such as
 *       {@code ?name[]=http_requests_total&name[]=jvm_threads}.</li>
 *   <li>The body is gzipped when {@code Accept-Encoding} allows it; responses carry {@code Cache-Control: no-store}.</li>
 *   <li>Each collector is collected when the writer reaches it ({@link CollectorRegistry#collectLazily()}), and the
 *       first 1 MiB of the body (after compression) is rendered in memory before the response starts, so a collector
 *       that throws (an {@link Error} too) or a family that cannot be rendered yields a 500 with a short plain-text
 *       message (and one WARNING log record), never a truncated 200. Past 1 MiB the body is sent as it is rendered;
 *       should collecting or rendering fail after that, {@link #handle} throws and the transport breaks the
 *       connection.</li>
 *   <li>A query that cannot be decoded (a bad {@code %} escape, malformed UTF-8) gets 400 and no log record.</li>
 * </ul>
 *
 * <p>Thread-safe: one handler serves concurrent scrapes.
 */
public final class ScrapeHandler {
    private static final System.Logger LOGGER = System.getLogger(ScrapeHandler.class.getName());
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";
    private static final int GZIP_BUFFER_SIZE = 8192;

    private final CollectorRegistry registry;
    private final boolean createdTimestamps;

    /** Handler for this registry; OpenMetrics and protobuf responses show created timestamps. */
    public ScrapeHandler(CollectorRegistry registry) {
        this(registry, true);
    }

    /**
     * Handler for this registry.
     *
     * @param createdTimestamps whether OpenMetrics ({@code _created} samples) and protobuf responses show created timestamps
     */
    public ScrapeHandler(CollectorRegistry registry, boolean createdTimestamps) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.createdTimestamps = createdTimestamps;
    }

    /**
     * Answers the request; see the class description.
     *
     * @throws IOException if the response could not be completed: the client's connection failed, or rendering
     *                     failed after the status was sent. The transport must then break the connection rather than
     *                     end the response normally, so that the client cannot take a partial body for a whole one.
     */
    public void handle(ScrapeExchange exchange) throws IOException {
        String method = exchange.method();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            exchange.setResponseHeader("Allow", "GET, HEAD");
            respondWithMessage(exchange, 405, true, "Method " + method + " not allowed; use GET or HEAD.\n");
            return;
        }
        List<String> names;
        try {
            names = exchange.queryParameters("name[]");
        } catch (IllegalArgumentException malformed) {
            // The client's mistake, and anyone can send it: no log record, which would let clients flood the log.
            respondWithMessage(exchange, 400, !head, "Bad request: " + malformed.getMessage() + "\n");
            return;
        }
        ExpositionFormat format = ExpositionFormat.negotiate(exchange.requestHeader("Accept"));
        boolean gzip = acceptsGzip(exchange.requestHeader("Accept-Encoding"));
        DeferredResponse body = new DeferredResponse(hasBody -> {
            exchange.setResponseHeader("Content-Type", format.contentType());
            exchange.setResponseHeader("Cache-Control", "no-store");
            if (gzip) {
                exchange.setResponseHeader("Content-Encoding", "gzip");
            }
            return exchange.respond(200, hasBody);
        }, !head);
        try {
            Iterable<MetricFamily> families = collect(names);
            // Rendered for HEAD too (into nothing), so that HEAD fails when GET would.
            if (gzip && !head) {
                try (GZIPOutputStream compressed = new GZIPOutputStream(body, GZIP_BUFFER_SIZE)) {
                    format.write(compressed, families, createdTimestamps);
                }
            } else {
                format.write(body, families, createdTimestamps);
            }
        } catch (IOException e) {
            // Before the response starts the body goes to memory: this is the client's connection failing.
            throw e;
        } catch (Throwable e) {
            // Errors too (NoClassDefFoundError from a collector's dependency): the scrape fails, the server serves on.
            if (body.started()) {
                LOGGER.log(Level.WARNING, "Scrape failed after the response started; breaking the connection: " + e, e);
                throw new IOException("scrape failed after the response started: " + e, e);
            }
            LOGGER.log(Level.WARNING, "Scrape failed: " + e, e);
            respondWithMessage(exchange, 500, !head, "Error collecting metrics: " + e + "\n");
            return;
        }
        body.complete();
    }

    /** Collected as written, so that a scrape holds one collector's families at a time, not the registry's. */
    private Iterable<MetricFamily> collect(List<String> names) {
        return names == null || names.isEmpty() ? registry.collectLazily() : registry.collectLazily(names);
    }

    private static void respondWithMessage(ScrapeExchange exchange, int status, boolean hasBody, String message)
            throws IOException {
        exchange.setResponseHeader("Content-Type", PLAIN_TEXT);
        exchange.setResponseHeader("Cache-Control", "no-store");
        try (OutputStream body = exchange.respond(status, hasBody)) {
            if (hasBody && body != null) {
                body.write(message.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Whether gzip (or its alias x-gzip) has a q-value above 0, itself or through {@code *}. */
    private static boolean acceptsGzip(String acceptEncoding) {
        double gzip = -1;
        double any = -1;
        for (AcceptHeader.Element coding : AcceptHeader.parse(acceptEncoding)) {
            switch (coding.value) {
                case "gzip":
                case "x-gzip":
                    gzip = Math.max(gzip, coding.quality);
                    break;
                case "*":
                    any = Math.max(any, coding.quality);
                    break;
                default:
                    break;
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }
}
