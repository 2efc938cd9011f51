package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Observations known in advance, and what Prometheus must answer for them: their sum, and their quantiles within the
 * width of a native bucket.
 */
final class KnownObservations {

    private KnownObservations() {
    }

    /** {@code n} observations {@code f(i / n)}, plus every 100th one a zero (the zero bucket). */
    static double[] generate(int n, DoubleUnaryOperator f) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 100 == 0 ? 0 : f.applyAsDouble((double) i / n);
        }
        return values;
    }

    static double sum(double[] values) {
        return Arrays.stream(values).sum();
    }

    /**
     * The observation of rank ceil(q n), the one in whose bucket Prometheus interpolates: it takes the first bucket
     * whose cumulative count reaches q n.
     */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }

    /** Asserts that {@code estimate} is within a factor of one native bucket at {@code schema} of {@code truth}. */
    static void assertWithinBucket(double truth, double estimate, int schema, String what) {
        double factor = Math.pow(2, Math.scalb(1.0, -schema));
        assertTrue(estimate >= truth / factor && estimate <= truth * factor,
                what + ": " + estimate + " is not within a schema-" + schema + " bucket of " + truth);
    }
}
