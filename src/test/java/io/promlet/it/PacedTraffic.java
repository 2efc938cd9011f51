package io.promlet.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady requests to one web application until closed: a round of fast requests every {@link #ROUND} (plus a
 * failing one per round once {@link #failToo} is called), and one slow request after another, so that rates over any
 * recent window stay above zero. Counts what it sent and how many answers were 5xx; any other unexpected answer is
 * kept for the test to show.
 */
final class PacedTraffic implements AutoCloseable {

    /** The pause between the starts of two rounds of fast requests. */
    static final Duration ROUND = Duration.ofMillis(100);
    /** The target below the context that answers 500 (the demo's throwing servlet). */
    static final String FAILING = "/fail";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "paced-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final String base;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean failing;

    private PacedTraffic(String base) {
        this.base = base;
    }

    /** Traffic to {@code base} (such as {@code http://127.0.0.1:8080/demo}), not started yet. */
    static PacedTraffic to(String base) {
        return new PacedTraffic(base);
    }

    /** Starts sending: each of {@code fast} once a round, and {@code slow} over and over. */
    void start(List<String> fast, String slow) {
        List<String> targets = List.copyOf(fast);
        scheduler.scheduleAtFixedRate(() -> round(targets), 0, ROUND.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> send("GET", slow), 0, 1, TimeUnit.MILLISECONDS);
    }

    /** From now on each round also requests {@link #FAILING}. */
    void failToo() {
        failing = true;
    }

    /** Sends one request now, counted like the others, and returns its status (or -1 when it got no answer). */
    int send(String method, String target) {
        sent.incrementAndGet();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + target)).timeout(TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 500) {
                failures.incrementAndGet();
            }
            boolean expected = target.equals(FAILING) && method.equals("GET") ? status == 500
                    : status < 400 || status == 405;
            if (!expected) {
                unexpected.add(method + " " + target + ": " + status);
            }
            return status;
        } catch (IOException e) {
            unexpected.add(method + " " + target + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Requests sent so far. */
    long sent() {
        return sent.get();
    }

    /** Requests answered with a 5xx status so far. */
    long failures() {
        return failures.get();
    }

    /** Answers that were neither what the target gives nor the 500 of {@link #FAILING}. */
    List<String> unexpected() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    /** Stops sending; returns once every request sent has been answered, so {@link #sent} is final. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round(List<String> fast) {
        fast.forEach(target -> send("GET", target));
        if (failing) {
            send("GET", FAILING);
        }
    }
}
