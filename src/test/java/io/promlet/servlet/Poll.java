package io.promlet.servlet;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Waits for a value to settle. The filter records a request after the response may already have reached the
 * client, so tests poll the registry until the expected value shows, with a deadline.
 */
final class Poll {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private Poll() {
    }

    /** Polls until {@code actual} equals {@code expected}, then asserts it once more (and fails after the deadline). */
    static <T> void awaitEquals(T expected, Supplier<T> actual, String message) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!Objects.equals(expected, actual.get()) && System.nanoTime() < end) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertEquals(expected, actual.get(), message);
    }
}
