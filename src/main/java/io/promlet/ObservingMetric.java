package io.promlet;

import io.promlet.model.Labels;

import java.util.function.BiFunction;

/**
 * A metric whose children record observations, {@link Summary} and {@link Histogram}: it times work into the child
 * of a metric without labels. Public because its methods are the metrics' own; only this package extends it.
 *
 * @param <C> the child type
 */
public abstract class ObservingMetric<C extends Observer> extends Metric<C> {
    <M extends ObservingMetric<C>> ObservingMetric(Builder<?, ?> builder, FamilyFactory families,
                                                   BiFunction<M, Labels, C> children) {
        super(builder, families, children);
    }

    /** Starts a timer that observes the elapsed seconds when closed (metric without labels). */
    public final Timer startTimer() {
        return noLabelsChild().startTimer();
    }

    /** Runs the work and observes its duration in seconds, also when it throws (metric without labels). */
    public final <E extends Exception> void time(ThrowingRunnable<E> work) throws E {
        noLabelsChild().time(work);
    }

    /** Runs the work, observes its duration in seconds, also when it throws, and returns its result (metric without labels). */
    public final <T, E extends Exception> T time(ThrowingCallable<T, E> work) throws E {
        return noLabelsChild().time(work);
    }
}
