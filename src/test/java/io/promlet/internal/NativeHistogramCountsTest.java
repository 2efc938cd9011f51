package io.promlet.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeHistogramCountsTest {
    private static final double[] BOUNDS = {-1, -0.0001, 0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            Double.POSITIVE_INFINITY};

    @Test
    void classicCountsFoundThroughTheNativeBucketsMatchASearchOfTheBounds() {
        for (int schema : new int[] {-4, 0, 3, 8}) {
            NativeHistogramCounts counts = new NativeHistogramCounts(BOUNDS, schema, 0x1p-20, 10_000, 0);
            long[] expected = new long[BOUNDS.length];
            SplittableRandom random = new SplittableRandom(schema + 100);
            for (int n = 0; n < 20_000; n++) {
                double value = randomValue(random);
                counts.observe(value);
                expected[NativeHistogramCounts.classicIndex(BOUNDS, value)]++;
            }
            NativeHistogramCounts.Snapshot snapshot = counts.snapshot();
            assertArrayEquals(expected, snapshot.classicCounts, "schema " + schema);
            assertEquals(20_000, snapshot.nativeBuckets.count(), "schema " + schema);
        }
    }

    /**
     * Two threads observe 1 and 4 into one child while a third takes snapshots as fast as it can, most of them read in
     * place: each must hold whole observations, so its sum follows from its classic counts.
     */
    @Test
    void snapshotsReadInPlaceWhileThreadsObserveHoldWholeObservations() throws Exception {
        NativeHistogramCounts counts = new NativeHistogramCounts(new double[] {1, 2, Double.POSITIVE_INFINITY}, 5, 0x1p-128, 160, 0);
        int perThread = 2_000_000;
        AtomicBoolean observing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread scraper = new Thread(() -> {
            try {
                while (observing.get()) {
                    NativeHistogramCounts.Snapshot s = counts.snapshot();
                    long atMostOne = s.classicCounts[0];
                    long count = s.nativeBuckets.count();
                    assertEquals(count, atMostOne + s.classicCounts[1] + s.classicCounts[2]);
                    assertEquals(atMostOne + 4.0 * (count - atMostOne), s.sum, "count " + count);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        List<Thread> observers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            observers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    counts.observe(i % 3 == 0 ? 4 : 1);
                }
            }));
        }
        scraper.start();
        observers.forEach(Thread::start);
        for (Thread observer : observers) {
            observer.join();
        }
        observing.set(false);
        scraper.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(2L * perThread, counts.snapshot().nativeBuckets.count());
    }

    /** Values on, just above and just below the classic bounds, and spread over many magnitudes of both signs. */
    private static double randomValue(SplittableRandom random) {
        double bound = BOUNDS[random.nextInt(BOUNDS.length - 1)];
        switch (random.nextInt(4)) {
            case 0:
                return bound;
            case 1:
                return Math.nextUp(bound);
            case 2:
                return Math.nextDown(bound);
            default:
                double magnitude = Math.pow(10, -8 + 10 * random.nextDouble());
                return random.nextBoolean() ? magnitude : -magnitude;
        }
    }
}
