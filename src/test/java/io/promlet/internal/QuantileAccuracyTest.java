package io.promlet.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error bound of the log buckets, and of window quantiles against the exact nearest-rank quantiles. */
public class QuantileAccuracyTest {
    public static final double[] QUANTILES = {0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};
    private static final int SAMPLES = 1_000_000;
    /** Rounding of the representative and of the bound itself, far below the 0.5% of a bucket. */
    private static final double ROUNDING = 1e-12;

    @Test
    void bucketsPromiseUnderHalfAPercent() {
        double twoToTheSeventieth = Math.pow(2, 1.0 / LogBuckets.PER_OCTAVE);
        assertEquals((twoToTheSeventieth - 1) / (twoToTheSeventieth + 1), LogBuckets.RELATIVE_ACCURACY, 1e-9);
        assertTrue(LogBuckets.RELATIVE_ACCURACY < 0.005, "accuracy " + LogBuckets.RELATIVE_ACCURACY);
    }

    @Test
    void everyBucketStartsWhereTheLogSaysAndHoldsItsRepresentative() {
        int one = LogBuckets.index(1.0);
        for (int j = 0; j <= LogBuckets.PER_OCTAVE; j++) {
            double bound = StrictMath.pow(2, j / (double) LogBuckets.PER_OCTAVE);
            assertEquals(one + j, LogBuckets.index(bound), "bucket starting at " + bound);
            assertEquals(one + j - 1, LogBuckets.index(Math.nextDown(bound)), "bucket ending before " + bound);
        }
        for (int index = 0; index < LogBuckets.COUNT; index++) {
            assertEquals(index, LogBuckets.index(LogBuckets.value(index)), "representative of " + index);
        }
    }

    @Test
    void everyMantissaCellEdgeIsWithinTheBound() {
        for (int cell = 0; cell < 256; cell++) {
            double start = 1 + cell / 256.0;
            for (double x : new double[] {start, Math.nextDown(start + 1 / 256.0), Math.nextUp(start)}) {
                for (double scale : new double[] {1e-9, 1, 1e12}) {
                    assertWithinBound(x * scale, LogBuckets.value(LogBuckets.index(x * scale)));
                }
            }
        }
    }

    @Test
    void indexKeepsTheOrderOfValuesAndMirrorsNegatives() {
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-12, 16));
        }
        Arrays.sort(values);
        for (int i = 1; i < values.length; i++) {
            assertTrue(LogBuckets.index(values[i - 1]) <= LogBuckets.index(values[i]), values[i - 1] + " vs " + values[i]);
            assertEquals(2 * LogBuckets.ZERO - LogBuckets.index(values[i]), LogBuckets.index(-values[i]));
        }
    }

    @Test
    void zeroHasItsOwnBucketAndOutOfRangeMagnitudesClamp() {
        assertEquals(LogBuckets.ZERO, LogBuckets.index(0.0));
        assertEquals(LogBuckets.ZERO, LogBuckets.index(-0.0));
        assertEquals(0.0, LogBuckets.value(LogBuckets.ZERO));
        assertEquals(LogBuckets.ZERO + 1, LogBuckets.index(Double.MIN_VALUE));
        assertEquals(LogBuckets.ZERO + 1, LogBuckets.index(1e-300));
        assertEquals(LogBuckets.ZERO - 1, LogBuckets.index(-1e-300));
        assertEquals(LogBuckets.COUNT - 1, LogBuckets.index(Double.POSITIVE_INFINITY));
        assertEquals(LogBuckets.COUNT - 1, LogBuckets.index(1e300));
        assertEquals(0, LogBuckets.index(Double.NEGATIVE_INFINITY));
        for (double inRange : new double[] {1.5e-11, 1e-9, 1e12, 4.5e15, -1e-9, -1e12}) {
            assertWithinBound(inRange, LogBuckets.value(LogBuckets.index(inRange)));
        }
    }

    @Test
    void uniformWithNegatives() {
        SplittableRandom random = new SplittableRandom(1);
        assertQuantilesWithinBound(() -> random.nextDouble(-1000, 1000));
    }

    @Test
    void logNormal() {
        SplittableRandom random = new SplittableRandom(2);
        assertQuantilesWithinBound(() -> Math.exp(2 * gaussian(random)));
    }

    @Test
    void bimodal() {
        SplittableRandom random = new SplittableRandom(3);
        // Fast responses around 50 ms, a fifth slow ones around 2 s.
        assertQuantilesWithinBound(() -> random.nextInt(5) == 0
                ? 2 + 0.2 * gaussian(random)
                : 0.05 + 0.005 * gaussian(random));
    }

    @Test
    void twentyOneDecadesOfBothSigns() {
        SplittableRandom random = new SplittableRandom(4);
        assertQuantilesWithinBound(() -> (random.nextInt(4) == 0 ? -1 : 1) * Math.pow(10, random.nextDouble(-9, 12)));
    }

    private static void assertQuantilesWithinBound(DoubleSupplier distribution) {
        QuantileWindow window = new QuantileWindow(60_000_000_000L, 5, () -> 0L);
        double[] values = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            values[i] = distribution.getAsDouble();
            window.observe(values[i]);
        }
        assertQuantilesWithinBound(values, window.quantiles(QUANTILES));
    }

    /** Asserts that each estimate is within the buckets' bound, and so within 1%, of the exact quantile of the values. */
    public static void assertQuantilesWithinBound(double[] values, double[] estimates) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < QUANTILES.length; i++) {
            double exact = exactQuantile(sorted, QUANTILES[i]);
            assertTrue(Math.abs(estimates[i] - exact) <= 0.01 * Math.abs(exact),
                    "quantile " + QUANTILES[i] + ": estimate " + estimates[i] + " for exact " + exact);
            assertWithinBound(exact, estimates[i]);
        }
    }

    /** The value at rank max(1, ceil(q·n)) of the ascending values. */
    static double exactQuantile(double[] sorted, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * sorted.length));
        return sorted[(int) rank - 1];
    }

    private static void assertWithinBound(double exact, double estimate) {
        double error = exact == 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
        assertTrue(error <= LogBuckets.RELATIVE_ACCURACY + ROUNDING,
                "estimate " + estimate + " for " + exact + " is off by " + error);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
