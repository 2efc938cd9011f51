package io.promlet.internal;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

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
