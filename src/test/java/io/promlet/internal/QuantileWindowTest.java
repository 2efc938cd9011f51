package io.promlet.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sliding window: what it remembers and when it forgets, with a clock the test moves. */
class QuantileWindowTest {
    private static final double[] MIN_MEDIAN_MAX = {0.001, 0.5, 0.999};

    private final AtomicLong nanos = new AtomicLong(1_000);

    private void at(double seconds) {
        nanos.set(1_000 + (long) (seconds * 1e9));
    }

    @Test
    void forgetsEverythingAfterMaxAge() {
        QuantileWindow window = new QuantileWindow(TimeUnit.MINUTES.toNanos(5), 5, nanos::get);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1_000_000; i++) {
            window.observe(random.nextDouble(90, 110));
        }
        assertEquals(100, window.quantiles(new double[] {0.5})[0], 100 * 0.01);

        at(300);
        double[] recent = new double[10_000];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = random.nextDouble(0.5, 1.5);
            window.observe(recent[i]);
        }

        QuantileAccuracyTest.assertQuantilesWithinBound(recent, window.quantiles(QuantileAccuracyTest.QUANTILES));
    }

    @Test
    void ageBucketsExpireOneByOne() {
        QuantileWindow window = new QuantileWindow(TimeUnit.SECONDS.toNanos(5), 5, nanos::get);
        for (int second = 0; second < 5; second++) {
            at(second + 0.5);
            for (int i = 0; i < 10; i++) {
                window.observe(second + 1);
            }
        }

        at(4.999);
        assertQuantiles(window, 1, 3, 5);
        at(5);
        assertQuantiles(window, 2, 3, 5);
        at(6.2);
        assertQuantiles(window, 3, 4, 5);
        at(7);
        assertQuantiles(window, 4, 4, 5);
        at(8.9);
        assertQuantiles(window, 5, 5, 5);
        at(9);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, window.quantiles(MIN_MEDIAN_MAX));
    }

    @Test
    void keepsOnlyTheRecentPeriodsAfterALongPause() {
        QuantileWindow window = new QuantileWindow(TimeUnit.SECONDS.toNanos(5), 5, nanos::get);
        window.observe(1);
        at(1);
        window.observe(2);

        // The new periods land in the slots of the old ones, which must not show through.
        at(1_000_000.5);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, window.quantiles(MIN_MEDIAN_MAX));
        window.observe(3);
        at(1_000_001.5);
        window.observe(4);
        window.observe(4);
        assertQuantiles(window, 3, 4, 4);
    }

    @Test
    void zeroAndNegativeValuesAreOrderedWithThePositiveOnes() {
        QuantileWindow window = new QuantileWindow(TimeUnit.SECONDS.toNanos(5), 5, nanos::get);
        for (double v : new double[] {-1e6, -2, -0.0, 0.0, 0.0, 1e-9, 3}) {
            window.observe(v);
        }

        double[] q = window.quantiles(new double[] {0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9});
        assertEquals(-1e6, q[0], 1e6 * 0.005);
        assertEquals(-2, q[1], 2 * 0.005);
        assertEquals(0.0, q[2]);
        assertEquals(0.0, q[3]);
        assertEquals(0.0, q[4]);
        assertEquals(1e-9, q[5], 1e-9 * 0.005);
        assertEquals(3, q[6], 3 * 0.005);
    }

    @Test
    void fewValuesPerPeriodSpreadOverDecadesAndAgeBuckets() {
        // A labelled summary's typical child: a handful of values per period, so that the age buckets fill different
        // buckets of the same chunks, and most buckets of a chunk stay empty.
        QuantileWindow window = new QuantileWindow(TimeUnit.SECONDS.toNanos(5), 5, nanos::get);
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[25];
        for (int i = 0; i < values.length; i++) {
            at(i / 5);
            values[i] = Math.pow(10, random.nextDouble(-3, 1));
            window.observe(values[i]);
        }

        QuantileAccuracyTest.assertQuantilesWithinBound(values, window.quantiles(QuantileAccuracyTest.QUANTILES));
    }

    @Test
    void rejectsWindowsShorterThanOneNanosecondPerAgeBucket() {
        assertThrows(IllegalArgumentException.class, () -> new QuantileWindow(4, 5, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new QuantileWindow(5, 0, nanos::get));
    }

    @Test
    void concurrentObserversRotatingTheWindowLeaveNoStaleBucket() throws InterruptedException {
        // Every clock read moves time on by 1 µs, so the 1 ms age buckets rotate under the threads' feet.
        AtomicLong clock = new AtomicLong();
        QuantileWindow window = new QuantileWindow(TimeUnit.MILLISECONDS.toNanos(5), 5, () -> clock.addAndGet(1_000));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(100 + t);
            Thread worker = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < 200_000; i++) {
                    window.observe(random.nextDouble(1, 1000));
                }
            });
            worker.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        start.countDown();
        int queries = 0;
        while (workers.stream().anyMatch(Thread::isAlive)) {
            for (double q : window.quantiles(MIN_MEDIAN_MAX)) {
                assertTrue(Double.isNaN(q) || q >= 1 * (1 - 0.005) && q <= 1000 * (1 + 0.005), "estimate " + q);
            }
            queries++;
        }
        for (Thread w : workers) {
            w.join();
        }

        assertNull(failure.get(), () -> "observer failed: " + failure.get());
        assertTrue(queries > 0);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, window.quantiles(MIN_MEDIAN_MAX),
                "no bucket outlives the window");
        window.observe(42);
        assertEquals(42, window.quantiles(new double[] {0.5})[0], 42 * 0.005);
    }

    private static void assertQuantiles(QuantileWindow window, double min, double median, double max) {
        double[] q = window.quantiles(MIN_MEDIAN_MAX);
        assertEquals(min, q[0], min * 0.005, "min");
        assertEquals(median, q[1], median * 0.005, "median");
        assertEquals(max, q[2], max * 0.005, "max");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Two threads that take turns within a microsecond make an age bucket count each thread's values in its own
     * stripe; a query still sees every value of both. The threads are picked so that they fall in different stripes.
     */
    @Test
    void countsOfThreadsTakingTurnsAreAllQueried() throws Exception {
        QuantileWindow window = new QuantileWindow(TimeUnit.MINUTES.toNanos(5), 5, nanos::get);
        java.util.concurrent.Semaphore[] turn = {new java.util.concurrent.Semaphore(1), new java.util.concurrent.Semaphore(0)};
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int me = t;
            double value = t == 0 ? 1 : 100;
            Thread thread;
            do {
                thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < 500; i++) {
                            turn[me].acquire();
                            window.observe(value);
                            turn[1 - me].release();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
            } while (t == 1 && (thread.getId() & 1) == (threads.get(0).getId() & 1));
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!thread.isAlive(), "the threads finished their turns");
        }
        assertNull(failure.get());

        // Nearest rank among 1,000 values: the 500th is the last 1, the 501st the first 100.
        assertArrayEquals(new double[] {1, 1, 100, 100},
                window.quantiles(new double[] {0.001, 0.5, 0.501, 0.999}), 100 * 0.01);
    }
}
