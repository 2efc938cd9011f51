package io.promlet;

import java.util.function.DoubleConsumer;

/**
 * A running duration measurement, recorded in seconds when closed. Made for try-with-resources:
 *
 * <pre>{@code
 * try (Timer t = latency.startTimer()) {
 *     handle(request);
 * }
 * }</pre>
 */
public final class Timer implements AutoCloseable {
    private final DoubleConsumer observer;
    private final long start = System.nanoTime();
    private boolean done;

    Timer(DoubleConsumer observer) {
        this.observer = observer;
    }

    /** Records the seconds elapsed since the timer started and returns them; later calls record nothing. */
    public double observeDuration() {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!done) {
            done = true;
            observer.accept(seconds);
        }
        return seconds;
    }

    /** Runs the work and gives its duration in seconds to the observer, also when it throws; the exception is rethrown unchanged. */
    static <T, E extends Exception> T time(DoubleConsumer observer, ThrowingCallable<T, E> work) throws E {
        long start = System.nanoTime();
        try {
            return work.call();
        } finally {
            observer.accept((System.nanoTime() - start) / 1e9);
        }
    }

    /** Same as {@link #observeDuration()}. */
    @Override
    public void close() {
        observeDuration();
    }
}
