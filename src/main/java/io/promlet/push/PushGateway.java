package io.promlet.push;

import io.promlet.Collector;
import io.promlet.exposition.TextFormat;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pushes metrics to a Prometheus Pushgateway, for batch jobs that end before Prometheus could scrape them and
 * for workers that serve no HTTP.
 *
 * <pre>{@code
 * PushGateway gateway = PushGateway.builder().address("pushgateway:9091").build();
 * CollectorRegistry registry = new CollectorRegistry();
 * Gauge lastSuccess = Gauge.builder().name("batch_last_success_unixtime").help("Last success.").register(registry);
 * runBatch();
 * lastSuccess.setToCurrentTime();
 * gateway.push(registry, "nightly_batch", Map.of("instance", "db-1"));
 * }</pre>
 *
 * <p>A group is the job plus the grouping key; {@link #push} replaces the whole group (HTTP PUT),
 * {@link #pushAdd} replaces only the metrics of the same names (POST), {@link #delete} removes the group.
 * The body is the text format 0.0.4. Every call blocks until the gateway has answered, body included, at most the
 * connect timeout plus the request timeout, and throws an {@link IOException} if the gateway cannot be reached,
 * does not answer completely in that time, or answers other than 2xx ({@link PushGatewayException}, with the
 * status and the start of the gateway's message). A {@code PushGateway} is thread-safe; build one and keep it.
 */
public final class PushGateway {
    private static final int MAX_MESSAGE_CHARS = 2000;
    /** Enough bytes for {@link #MAX_MESSAGE_CHARS} characters of UTF-8, four bytes at most for each. */
    private static final int MAX_MESSAGE_BYTES = 4 * MAX_MESSAGE_CHARS;

    private final URI baseUrl;
    private final HttpClient client;
    private final Duration requestTimeout;
    /** The bound of one whole call: the client's own timeouts end at the answer's headers, a stalled body never. */
    private final Duration exchangeTimeout;
    private final List<String> headers;

    private PushGateway(Builder builder) {
        this.baseUrl = builder.baseUrl();
        HttpClient.Builder client = HttpClient.newBuilder()
                // The Pushgateway speaks HTTP/1.1; this also spares the h2c upgrade dance on plain HTTP.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout);
        if (builder.sslContext != null) {
            client.sslContext(builder.sslContext);
        }
        this.client = client.build();
        this.requestTimeout = builder.requestTimeout;
        this.exchangeTimeout = builder.connectTimeout.plus(builder.requestTimeout);
        List<String> headers = new ArrayList<>(builder.headers);
        if (builder.authorization != null) {
            headers.add("Authorization");
            headers.add(builder.authorization);
        }
        this.headers = List.copyOf(headers);
    }

    /** A new builder; without further settings it pushes to {@code http://localhost:9091}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replaces the group {@code job} (no other grouping labels) with the collector's metrics (HTTP PUT).
     *
     * @throws IOException if the gateway cannot be reached in time or answers other than 2xx
     */
    public void push(Collector collector, String job) throws IOException {
        push(collector, job, Map.of());
    }

    /**
     * Replaces the group {@code job} plus grouping key with the collector's metrics (HTTP PUT): metrics
     * of the group that the collector no longer has are removed.
     *
     * @param collector   what to push, usually a {@code CollectorRegistry} of the job's own metrics
     * @param job         the {@code job} label of the group
     * @param groupingKey further labels of the group, such as {@code instance}; may be empty
     * @throws IOException              if the gateway cannot be reached in time or answers other than 2xx
     * @throws IllegalArgumentException if the job is empty or a grouping label name is invalid
     */
    public void push(Collector collector, String job, Map<String, String> groupingKey) throws IOException {
        send("PUT", url(job, groupingKey), collector);
    }

    /** Like {@link #pushAdd(Collector, String, Map)} without grouping labels. */
    public void pushAdd(Collector collector, String job) throws IOException {
        pushAdd(collector, job, Map.of());
    }

    /**
     * Adds the collector's metrics to the group (HTTP POST): metrics of the same name are replaced, others stay.
     *
     * @throws IOException              if the gateway cannot be reached in time or answers other than 2xx
     * @throws IllegalArgumentException if the job is empty or a grouping label name is invalid
     */
    public void pushAdd(Collector collector, String job, Map<String, String> groupingKey) throws IOException {
        send("POST", url(job, groupingKey), collector);
    }

    /** Like {@link #delete(String, Map)} without grouping labels. */
    public void delete(String job) throws IOException {
        delete(job, Map.of());
    }

    /**
     * Deletes every metric of the group (HTTP DELETE).
     *
     * @throws IOException              if the gateway cannot be reached in time or answers other than 2xx
     * @throws IllegalArgumentException if the job is empty or a grouping label name is invalid
     */
    public void delete(String job, Map<String, String> groupingKey) throws IOException {
        send("DELETE", url(job, groupingKey), null);
    }

    /**
     * Pushes the collector's metrics (as {@link #push}) now and then every period, from one daemon thread, until
     * the returned pusher is closed; closing pushes a last time. For long-running workers that serve no HTTP.
     *
     * <pre>{@code
     * try (PeriodicPusher pusher = gateway.schedule(registry, "mail_worker", Map.of("instance", host), Duration.ofSeconds(15))) {
     *     while (running) {
     *         jobDuration.time(() -> processNextJob());
     *     }
     * }
     * }</pre>
     *
     * A push that fails is logged and tried again the next period; it never stops the pusher.
     *
     * @throws IllegalArgumentException if the job is empty, a grouping label name is invalid or the period not positive
     */
    public PeriodicPusher schedule(Collector collector, String job, Map<String, String> groupingKey, Duration period) {
        Objects.requireNonNull(collector, "collector");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("push period for job " + job + " must be positive, got " + period);
        }
        URI url = url(job, groupingKey);
        return new PeriodicPusher(() -> send("PUT", url, collector), url, period, exchangeTimeout);
    }

    private URI url(String job, Map<String, String> groupingKey) {
        // The group path is already percent-encoded: append it to the raw base path.
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + GroupPath.of(job, groupingKey));
    }

    private void send(String method, URI url, Collector collector) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(requestTimeout);
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        if (collector == null) {
            request.DELETE();
        } else {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            TextFormat.write(body, collector.collect());
            request.header("Content-Type", TextFormat.CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        }
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request.build(), answer -> new MessageStart());
        HttpResponse<String> response;
        try {
            response = exchange.get(exchangeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException(method + " " + url + " timed out: no complete answer within "
                    + exchangeTimeout.toMillis() + " ms (connect timeout plus request timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(method + " " + url + " interrupted");
        } catch (ExecutionException e) {
            // The client's own messages are often empty ("java.net.ConnectException"): name the request.
            throw new IOException(method + " " + url + " failed: " + e.getCause(), e.getCause());
        } finally {
            // Aborts an exchange still going (timed out, interrupted) and closes its connection, which a stalled
            // answer would otherwise hold; does nothing to one that is complete.
            exchange.cancel(true);
        }
        if (response.statusCode() / 100 != 2) {
            String message = response.body();
            throw new PushGatewayException(method, url.toString(), response.statusCode(),
                    message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message);
        }
    }

    /**
     * Reads the start of an answer's body, for the gateway's message, and stops there: an endless body then ends
     * the exchange at once instead of filling memory until the timeout.
     */
    private static final class MessageStart implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> message = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<String> getBody() {
            return message;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                byte[] part = new byte[Math.min(buffer.remaining(), MAX_MESSAGE_BYTES - bytes.size())];
                buffer.get(part);
                bytes.write(part, 0, part.length);
            }
            if (bytes.size() < MAX_MESSAGE_BYTES) {
                subscription.request(1);
            } else {
                // The client closes the connection: the rest of the body is never read.
                subscription.cancel();
                onComplete();
            }
        }

        @Override
        public void onError(Throwable failure) {
            message.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            // A character cut in two at the limit decodes as U+FFFD, which is fine for a message.
            message.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public String toString() {
        return "PushGateway[" + baseUrl + "]";
    }

    /**
     * Builds a {@link PushGateway}.
     *
     * <pre>{@code
     * PushGateway gateway = PushGateway.builder()
     *         .url(URI.create("https://push.example.com/gateway"))
     *         .sslContext(sslContext)
     *         .basicAuth("pusher", password)
     *         .requestTimeout(Duration.ofSeconds(5))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private String address = "localhost:9091";
        private URI url;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private SSLContext sslContext;
        private String authorization;
        private final List<String> headers = new ArrayList<>();

        private Builder() {
        }

        /** The gateway as {@code host:port}; plain HTTP, or HTTPS when an {@link #sslContext} is set. Default {@code localhost:9091}. */
        public Builder address(String hostAndPort) {
            this.address = Objects.requireNonNull(hostAndPort, "address");
            this.url = null;
            return this;
        }

        /**
         * The gateway's base URL, with scheme and any path prefix it is served under, such as
         * {@code https://push.example.com/gateway}; {@code /metrics/job/...} is appended to it.
         *
         * @throws IllegalArgumentException if the scheme is not http or https
         */
        public Builder url(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "url");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("Pushgateway URL must be http or https: " + baseUrl);
            }
            this.url = baseUrl;
            return this;
        }

        /** How long to wait for the TCP (and TLS) connection. Default 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /**
         * How long to wait for the gateway's answer once connected. Default 10 seconds. A call as a whole, the
         * answer's body included, ends within the connect timeout plus this.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /** HTTP basic authentication. */
        public Builder basicAuth(String user, String password) {
            String credentials = Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password, "password");
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Bearer token authentication ({@code Authorization: Bearer <token>}). */
        public Builder bearerToken(String token) {
            this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * An extra header on every request, such as a tenant id for a proxy in front of the gateway.
         *
         * @throws IllegalArgumentException if the header is one the HTTP client sets itself, such as {@code Host}
         */
        public Builder header(String name, String value) {
            // Let the HTTP client reject restricted or malformed headers now rather than at the first push.
            HttpRequest.newBuilder().header(name, value);
            headers.add(name);
            headers.add(value);
            return this;
        }

        /** The TLS settings (trusted certificates, client certificate); with {@link #address} it also means HTTPS. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** The gateway. */
        public PushGateway build() {
            return new PushGateway(this);
        }

        private URI baseUrl() {
            return url != null ? url : URI.create((sslContext != null ? "https://" : "http://") + address);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
