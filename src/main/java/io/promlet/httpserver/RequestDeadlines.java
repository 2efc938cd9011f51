package io.promlet.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the JDK server's exchanges on the request threads and drops a client whose request does not arrive in time.
 * The JDK server reads a request on the thread that runs its exchange, blocking; without this, a client that sends
 * half a request and stalls holds that thread until the JVM-wide {@code sun.net.httpserver.maxReqTime} (off by
 * default), and a few such clients leave no thread for Prometheus.
 *
 * <p>Each exchange gets {@link #REQUEST_SECONDS} from the moment the server hands it over (its first bytes have
 * arrived) until its handler starts ({@link #filter()} marks that). A thread still reading the request then is
 * interrupted, which closes the connection: a socket channel is interruptible. An exchange that waited in the queue
 * past its deadline gets {@link #GRACE_MILLIS} once it starts, so that a whole request queued behind stalled ones is
 * still read. The handler itself has no deadline: interrupting it could disturb a collector.
 *
 * <p>While other exchanges wait for a thread, a request gets only {@link #SLICE_MILLIS} (to half as much again) of
 * reading: a thread still reading after that is interrupted too. The server hands an exchange over once its first
 * bytes are there, and a scraper sends its request at once, so a whole request is read in far less; a stalled one
 * would otherwise keep the exchanges queued behind it waiting for its full deadline. So stalled clients, however
 * many, cost each exchange behind them only a slice of a thread's time, never seconds.
 */
final class RequestDeadlines implements Executor {
    private static final int REQUEST_SECONDS = 10;
    private static final int GRACE_MILLIS = 1000;
    private static final int SLICE_MILLIS = 50;
    /** The exchange each of this server's threads is running, for the filter to find. */
    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    private final Executor threads;
    private final ScheduledThreadPoolExecutor timer;

    private final long requestMillis;
    private final long graceMillis;
    private final long sliceMillis;
    /** Exchanges handed over and not yet started: while there are any, reading gets only a slice. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Set<Deadline> reading = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkScheduled = new AtomicBoolean();

    /** Runs exchanges on these threads; the deadlines on a daemon thread of its own, until {@link #close()}. */
    RequestDeadlines(Executor threads) {
        this(threads, REQUEST_SECONDS * 1000L, GRACE_MILLIS, SLICE_MILLIS);
    }

    /** Same, with other deadlines: for tests, which cannot wait the real ones out. */
    RequestDeadlines(Executor threads, long requestMillis, long graceMillis, long sliceMillis) {
        this.threads = threads;
        this.requestMillis = requestMillis;
        this.graceMillis = graceMillis;
        this.sliceMillis = sliceMillis;
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
        waiting.incrementAndGet();
        try {
            threads.execute(deadline);
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            deadline.finish();
            throw e;
        }
        scheduleSliceCheck();
    }

    /** Checks, half a slice from now, whether exchanges wait while requests are still being read. */
    private void scheduleSliceCheck() {
        if (checkScheduled.compareAndSet(false, true)) {
            timer.schedule(this::checkSlices, sliceMillis / 2, TimeUnit.MILLISECONDS);
        }
    }

    /** While exchanges wait, interrupts every thread that has been reading its request for a slice or longer. */
    private void checkSlices() {
        checkScheduled.set(false);
        if (waiting.get() == 0) {
            return;
        }
        long readingSince = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(sliceMillis);
        for (Deadline deadline : reading) {
            deadline.interruptIfReadingSince(readingSince);
        }
        scheduleSliceCheck();
    }

    /** Marks, on every context, the moment the request has arrived: from then on no deadline applies. */
    Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                Deadline deadline = current.get();
                if (deadline != null && !deadline.startHandling()) {
                    throw new IOException("the request did not arrive in time");
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "request deadline";
            }
        };
    }

    /** Stops the timer thread. */
    void close() {
        timer.shutdownNow();
    }

    /** One exchange and the state its deadline depends on. */
    private final class Deadline implements Runnable {
        private final Runnable exchange;
        private Thread reader;
        private long readingSinceNanos;
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
            waiting.decrementAndGet();
            synchronized (this) {
                reader = Thread.currentThread();
                readingSinceNanos = System.nanoTime();
                started = true;
                // However long it queued, an exchange that starts has at least the grace to read its request.
                if (late || deadlineNanos - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(graceMillis)) {
                    late = false;
                    expiry.cancel(false);
                    schedule(graceMillis);
                }
            }
            reading.add(this);
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

        synchronized void interruptIfReadingSince(long nanos) {
            if (reader != null && !handling && readingSinceNanos - nanos <= 0) {
                reader.interrupt();
            }
        }

        synchronized boolean startHandling() {
            reading.remove(this);
            if (reader == null || reader.isInterrupted()) {
                return false;
            }
            handling = true;
            expiry.cancel(false);
            return true;
        }

        synchronized void finish() {
            reading.remove(this);
            reader = null;
            expiry.cancel(false);
        }
    }
}
