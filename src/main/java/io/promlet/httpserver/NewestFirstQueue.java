package io.promlet.httpserver;

import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Consumer;

/**
 * The waiting exchanges of the server's own pool: the newest is taken first, and when the queue is full the oldest
 * makes room, so that a new exchange is never turned away. A client that sends half a request and stalls holds a
 * thread until its deadline; of the exchanges waiting behind such clients, the newest is the likeliest to be a scraper
 * whose request has arrived whole, and the oldest the likeliest to be one more stalled client. A burst of stalled
 * requests, however many, thus delays a scrape until the first thread is free again, never until all of them are
 * dropped; in arrival order a scrape would wait for every stalled request ahead of it, and behind a full queue it
 * would be refused.
 */
final class NewestFirstQueue extends LinkedBlockingDeque<Runnable> {
    private final Consumer<Runnable> dropped;

    /** A queue of this many exchanges, handing the oldest to {@code dropped} (which must close it) to make room. */
    NewestFirstQueue(int capacity, Consumer<Runnable> dropped) {
        super(capacity);
        this.dropped = dropped;
    }

    /** Queues the exchange to be taken first; always succeeds, dropping the oldest if the queue is full. */
    @Override
    public boolean offer(Runnable exchange) {
        while (!offerFirst(exchange)) {
            Runnable oldest = pollLast();
            if (oldest != null) {
                dropped.accept(oldest);
            }
        }
        return true;
    }
}
