package io.promlet.internal;

/**
 * One number of a child: a counter's count, a gauge's value, a bucket's count, a sum. Instruments keep
 * every number behind this seam so that where it lives (in memory, or in a file shared between processes)
 * is the {@link ValueStore}'s choice.
 */
public interface Value {
    /** Adds to the value; lock-free. */
    void add(double amount);

    /** Replaces the value; lock-free. */
    void set(double value);

    /** The current value. */
    double get();
}
