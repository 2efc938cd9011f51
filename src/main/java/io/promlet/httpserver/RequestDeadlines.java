package io.promlet.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDK server's exchanges on the request threads and drops a client whose request does not arrive in time.
 * The JDK server reads a request on the thread that runs its exchange, blocking; without this, a client that sends
 * half a request and stalls holds that thread until the JVM-wide {@code sun.net.httpserver.maxReqTime} (off by
 * default), and a few such clients leave no thread for Prometheus.
 *
 * <p>Each exchange gets {@link #REQUEST_MILLIS} from the moment the server hands it over (its first bytes have
 * arrived) until its handler starts ({@link #filter()} marks that). A thread still reading the request then is
 * interrupted, which closes the connection: a socket channel is interruptible. An exchange that waited in the queue
 * past its deadline gets {@link #GRACE_MILLIS} once it starts, so that a whole request queued behind stalled ones is
 * still read. The handler itself has no deadline: interrupting it could disturb a collector. Two seconds are ample
 * for a scraper, which sends its request (and its TLS handshake) at once, and short enough that threads held by
 * stalled clients are free again well inside a scrape timeout.
 */
final class RequestDeadlines implements Executor {
    private static final int REQUEST_MILLIS = 2000;
    private static final int GRACE_MILLIS = 500;
    /** The exchange each of this server's threads is running, for the filter to find. */
    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    private final Executor threads;
    private final ScheduledThreadPoolExecutor timer;

    private final long requestMillis;
    private final long graceMillis;

    /** Runs exchanges on these threads; the deadlines on a daemon thread of its own, until {@link #close()}. */
    RequestDeadlines(Executor threads) {
        this(threads, REQUEST_MILLIS, GRACE_MILLIS);
    }

    /** Same, with other deadlines: for tests, which cannot wait the real ones out. */
    RequestDeadlines(Executor threads, long requestMillis, long graceMillis) {
        this.threads = threads;
        this.requestMillis = requestMillis;
        this.graceMillis = graceMillis;
        // After close, deadlines are no longer scheduled: the server is stopping and closes its connections itself.
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "promlet-httpserver-deadlines");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable exchange) {
        Deadline deadline = new Deadline(exchange);
        deadline.schedule(requestMillis);
        try {
            threads.execute(deadline);
        } catch (RejectedExecutionException e) {
            deadline.finish();
            throw e;
        }
    }

    /** Marks, on every context, the moment the request has arrived: from then on no deadline applies. */
    Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                Deadline deadline = current.get();
                if (deadline != null && !deadline.startHandling()) {
                    throw new IOException("the request did not arrive within " + requestMillis + " ms");
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "request deadline";
            }
        };
    }

    /**
     * Closes an exchange that was handed to {@link #execute} and then dropped from the queue unstarted: it runs on the
     * timer thread with that thread interrupted, so that the server's first read closes the connection (or, if the
     * request was already buffered, the filter refuses it), which takes no request thread.
     */
    void drop(Runnable queued) {
        timer.execute(((Deadline) queued)::refuse);
    }

    /** Stops the timer thread. */
    void close() {
        timer.shutdownNow();
    }

    /** One exchange and the state its deadline depends on. */
    private final class Deadline implements Runnable {
        private final Runnable exchange;
        private Thread reader;
        private boolean started;
        private boolean late;
        private boolean handling;
        private ScheduledFuture<?> expiry;
        /** When the current deadline passes; an expiry that fires for an earlier, replaced deadline does nothing. */
        private long deadlineNanos;

        Deadline(Runnable exchange) {
            this.exchange = exchange;
        }

        synchronized void schedule(long millis) {
            deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            expiry = timer.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            synchronized (this) {
                reader = Thread.currentThread();
                started = true;
                // However long it queued, an exchange that starts has at least the grace to read its request.
                if (late || deadlineNanos - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(graceMillis)) {
                    late = false;
                    expiry.cancel(false);
                    schedule(graceMillis);
                }
            }
            current.set(this);
            try {
                exchange.run();
            } finally {
                current.remove();
                finish();
                // An interrupt meant for this exchange must not reach the next one this thread runs; finish() holds
                // the lock that expire() interrupts under, so any such interrupt has been delivered by now.
                Thread.interrupted();
            }
        }

        /** Runs the exchange so that it ends at once, closing its connection; see {@link #drop}. */
        void refuse() {
            // Without a reader, the filter refuses the exchange should its request be buffered already.
            finish();
            current.set(this);
            Thread.currentThread().interrupt();
            try {
                exchange.run();
            } finally {
                current.remove();
                Thread.interrupted();
            }
        }

        private synchronized void expire() {
            if (System.nanoTime() - deadlineNanos < 0) {
                return;
            }
            if (!started) {
                late = true;
            } else if (reader != null && !handling) {
                reader.interrupt();
            }
        }

        synchronized boolean startHandling() {
            if (reader == null || reader.isInterrupted()) {
                return false;
            }
            handling = true;
            expiry.cancel(false);
            return true;
        }

        synchronized void finish() {
            reader = null;
            expiry.cancel(false);
        }
    }
}
