package io.promlet;

/**
 * Work that returns nothing and may throw {@code E}, for {@code time(...)} and {@code countExceptions(...)}.
 * A lambda that throws no checked exception needs no {@code try}.
 *
 * @param <E> the exception the work may throw
 */
@FunctionalInterface
public interface ThrowingRunnable<E extends Exception> {
    /** Does the work. */
    void run() throws E;
}
