package io.promlet.benchmarks;

import java.util.SplittableRandom;

/** The inputs every benchmark shares, so that promlet and client_java see exactly the same values. */
final class Shapes {
    /** 10 bounds; with +Inf, 11 classic buckets. */
    static final double[] BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5};

    static final double[] QUANTILES = {0.5, 0.9, 0.99};

    static final String[] LABEL_NAMES = {"method", "path", "status"};

    /** 100 distinct children: 4 methods x 25 paths, status 200 or 500. */
    static final String[][] LABEL_VALUES = labelValues(100);

    /** Observations spread over all buckets, a power of two long so that cycling is a mask. */
    static final double[] OBSERVATIONS = observations(1024);

    private Shapes() {
    }

    private static String[][] labelValues(int n) {
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        String[][] values = new String[n][];
        for (int i = 0; i < n; i++) {
            values[i] = new String[] {methods[i % 4], "/api/items/" + (i / 4), i % 7 == 0 ? "500" : "200"};
        }
        return values;
    }

    private static double[] observations(int n) {
        SplittableRandom random = new SplittableRandom(42);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // Log-uniform from 1 ms to 10 s: every bucket, including +Inf, gets observations.
            values[i] = Math.pow(10, -3 + 4 * random.nextDouble());
        }
        return values;
    }
}
