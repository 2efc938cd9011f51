package io.promlet.push;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes to a Pushgateway periodically from one daemon thread; made by
 * {@link PushGateway#schedule(io.promlet.Collector, String, java.util.Map, Duration)}.
 * A failed push is tried again the next period, whatever failed, an {@link Error} thrown by a collector included:
 * only {@link #close()} stops the pusher. A failure is logged (System.Logger {@code io.promlet.push.PeriodicPusher},
 * WARNING) when it differs from the previous push's, so a gateway that is down for an hour is one line, not one
 * a period; the first push that succeeds after failures is logged at INFO. {@link #close()} stops the thread and
 * pushes a last time, so the gateway keeps the final values.
 */
public final class PeriodicPusher implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(PeriodicPusher.class.getName());

    /** One push; throws what the gateway call throws. */
    @FunctionalInterface
    interface Push {
        void run() throws IOException;
    }

    private final Push push;
    private final URI url;
    private final Duration pushTimeout;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The failure last logged ({@link Throwable#toString()}), null after a success: what is not logged again. */
    private final AtomicReference<String> loggedFailure = new AtomicReference<>();

    PeriodicPusher(Push push, URI url, Duration period, Duration pushTimeout) {
        this.push = push;
        this.url = url;
        this.pushTimeout = pushTimeout;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "promlet-pusher " + url.getRawPath());
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(() -> pushLogged(false), 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the periodic pushes, aborting one in flight, and pushes a last time from the calling thread. Returns
     * when that push has ended, within the gateway's connect timeout plus its request timeout, however the gateway
     * behaves (only a collector that is still collecting for the aborted push can add up to that time again).
     * A failure of the last push is logged (WARNING), not thrown; the gateway then keeps what was pushed before.
     * If the caller is interrupted while waiting, the last push is skipped and the interrupt flag kept. Calling it
     * again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Interrupting the push in flight aborts its exchange: the last push carries newer values anyway, and a
        // stalled gateway would otherwise hold close() for that push's whole timeout before the last one starts.
        thread.shutdownNow();
        try {
            // Only a collector still collecting keeps the thread now. Wait for it, at most one push's time, so that
            // its push cannot overtake the last one; past that, push anyway.
            thread.awaitTermination(pushTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        pushLogged(true);
    }

    private void pushLogged(boolean last) {
        Throwable failure;
        try {
            push.run();
            if (loggedFailure.getAndSet(null) != null) {
                LOGGER.log(System.Logger.Level.INFO, "push to " + url + " succeeded again");
            }
            return;
        } catch (Throwable e) {
            // Errors too (a class missing at run time in a collector): anything escaping a periodic task would end
            // its schedule for good, silently.
            failure = e;
        }
        if (closed.get() && !last) {
            // close() aborted this push; its last push follows and reports.
            return;
        }
        if (!last && failure.toString().equals(loggedFailure.getAndSet(failure.toString()))) {
            return;
        }
        // An IOException is the gateway's or the network's and its message says it all; anything else is a bug in a
        // collector, to show with its stack.
        boolean io = failure instanceof IOException;
        String what = io ? failure.getMessage() : url + ": " + failure;
        LOGGER.log(System.Logger.Level.WARNING, (last ? "last push failed, the gateway keeps what was pushed before: "
                : "push failed, will retry every period (logged again when the failure changes): ") + what,
                io ? null : failure);
    }

    @Override
    public String toString() {
        return "PeriodicPusher[" + url + (closed.get() ? ", closed]" : "]");
    }
}
