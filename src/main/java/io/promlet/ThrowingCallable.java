package io.promlet;

/**
 * Work that returns a value and may throw {@code E}, for {@code time(...)} and {@code countExceptions(...)}.
 *
 * @param <T> the result
 * @param <E> the exception the work may throw
 */
@FunctionalInterface
public interface ThrowingCallable<T, E extends Exception> {
    /** Does the work and returns its result. */
    T call() throws E;
}
