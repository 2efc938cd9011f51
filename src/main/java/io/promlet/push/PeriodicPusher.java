package io.promlet.push;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes to a Pushgateway periodically from one daemon thread; made by
 * {@link PushGateway#schedule(io.promlet.Collector, String, java.util.Map, Duration)}.
 * A failed push is logged (System.Logger {@code io.promlet.push.PeriodicPusher}, WARNING) and tried again the
 * next period. {@link #close()} stops the thread and pushes a last time, so the gateway keeps the final values.
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

    PeriodicPusher(Push push, URI url, Duration period, Duration pushTimeout) {
        this.push = push;
        this.url = url;
        this.pushTimeout = pushTimeout;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "promlet-pusher " + url.getRawPath());
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(this::pushLogged, 0, period.toNanos(), TimeUnit.NANOSECONDS);
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
        pushLogged();
    }

    private void pushLogged() {
        try {
            push.run();
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.WARNING, "push failed, will retry next period: " + e.getMessage());
        } catch (RuntimeException e) {
            // A collector that throws: a bug to show with its stack, but no reason to stop pushing the others' values.
            LOGGER.log(System.Logger.Level.WARNING, "push to " + url + " failed, will retry next period", e);
        }
    }

    @Override
    public String toString() {
        return "PeriodicPusher[" + url + (closed.get() ? ", closed]" : "]");
    }
}
