package io.promlet;

/**
 * What records observations, such as a summary's or a histogram's child, and so can time work: each duration is
 * recorded in seconds as one observation.
 *
 * <pre>{@code
 * try (Timer t = latency.labels("/").startTimer()) {
 *     handle(request);
 * }
 * }</pre>
 */
public interface Observer {
    /** Records one observation. */
    void observe(double value);

    /** Starts a timer that observes the elapsed seconds when closed. */
    default Timer startTimer() {
        return new Timer(this::observe);
    }

    /** Runs the work and observes its duration in seconds, also when it throws; the exception is rethrown unchanged. */
    default <E extends Exception> void time(ThrowingRunnable<E> work) throws E {
        Timer.time(this::observe, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs the work, observes its duration in seconds, also when it throws, and returns its result; the exception is
     * rethrown unchanged.
     */
    default <T, E extends Exception> T time(ThrowingCallable<T, E> work) throws E {
        return Timer.time(this::observe, work);
    }
}
