package io.promlet.model;

import java.util.Arrays;

/**
 * The native (sparse, exponential) buckets of a histogram point, as Prometheus defines them: for a schema
 * {@code s}, bucket {@code i} counts the observations {@code v} with {@code base^(i-1) < |v| <= base^i}, where
 * {@code base = 2^(2^-s)}, positive and negative values apart; observations with {@code |v| <= zeroThreshold} go to
 * the zero bucket. Only buckets that hold observations are listed, by ascending index. Immutable.
 *
 * <pre>{@code
 * // schema 0 (base 2): 1.5 and 1.7 fall in bucket 1 (1, 2], 3 in bucket 2 (2, 4]
 * new NativeBuckets(0, 0x1p-128, 0, new int[] {1, 2}, new long[] {2, 1}, new int[0], new long[0]);
 * }</pre>
 */
public final class NativeBuckets extends ModelValue {
    /** The finest schema Prometheus accepts. */
    public static final int MAX_SCHEMA = 8;
    /** The coarsest schema Prometheus accepts. */
    public static final int MIN_SCHEMA = -4;

    private final int schema;
    private final double zeroThreshold;
    private final long zeroCount;
    private final int[] positiveIndexes;
    private final long[] positiveCounts;
    private final int[] negativeIndexes;
    private final long[] negativeCounts;

    /**
     * The arrays are copied.
     *
     * @param schema          the resolution, from {@value #MIN_SCHEMA} to {@value #MAX_SCHEMA}
     * @param zeroThreshold   the width of the zero bucket, finite and not negative
     * @param zeroCount       the observations in the zero bucket
     * @param positiveIndexes the indexes of the positive buckets that hold observations, ascending
     * @param positiveCounts  their counts, each at least 1
     * @param negativeIndexes the indexes of the negative buckets (by absolute value) that hold observations, ascending
     * @param negativeCounts  their counts, each at least 1
     * @throws IllegalArgumentException if a value is out of its range, naming it
     */
    public NativeBuckets(int schema, double zeroThreshold, long zeroCount, int[] positiveIndexes, long[] positiveCounts,
                         int[] negativeIndexes, long[] negativeCounts) {
        if (schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
            throw new IllegalArgumentException("native histogram schema " + schema + " is outside " + MIN_SCHEMA + ".." + MAX_SCHEMA);
        }
        if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
            throw new IllegalArgumentException("native histogram zero threshold " + zeroThreshold + " is not a finite, non-negative number");
        }
        if (zeroCount < 0) {
            throw new IllegalArgumentException("native histogram zero bucket count " + zeroCount + " is negative");
        }
        this.schema = schema;
        this.zeroThreshold = zeroThreshold;
        this.zeroCount = zeroCount;
        this.positiveIndexes = checkedIndexes("positive", positiveIndexes, positiveCounts);
        this.positiveCounts = positiveCounts.clone();
        this.negativeIndexes = checkedIndexes("negative", negativeIndexes, negativeCounts);
        this.negativeCounts = negativeCounts.clone();
    }

    private static int[] checkedIndexes(String side, int[] indexes, long[] counts) {
        if (indexes.length != counts.length) {
            throw new IllegalArgumentException("native histogram: " + indexes.length + " " + side + " bucket indexes but "
                    + counts.length + " counts");
        }
        for (int i = 0; i < indexes.length; i++) {
            if (i > 0 && indexes[i] <= indexes[i - 1]) {
                throw new IllegalArgumentException("native histogram: " + side + " bucket indexes must ascend, at index " + indexes[i]);
            }
            if (counts[i] < 1) {
                throw new IllegalArgumentException("native histogram: " + side + " bucket " + indexes[i] + " has count " + counts[i]
                        + "; list only buckets that hold observations");
            }
        }
        return indexes.clone();
    }

    /** Each side's buckets as text, which is equal exactly when their indexes and counts are. */
    @Override
    Object[] components() {
        return new Object[] {"schema", schema, "zeroThreshold", zeroThreshold, "zeroCount", zeroCount,
            "positive", Arrays.toString(positiveIndexes) + ":" + Arrays.toString(positiveCounts),
            "negative", Arrays.toString(negativeIndexes) + ":" + Arrays.toString(negativeCounts)};
    }

    /** The resolution: each power of two is split into {@code 2^schema} buckets. */
    public int schema() {
        return schema;
    }

    /** Observations with an absolute value up to this go to the zero bucket. */
    public double zeroThreshold() {
        return zeroThreshold;
    }

    /** The observations in the zero bucket. */
    public long zeroCount() {
        return zeroCount;
    }

    /** The indexes of the positive buckets that hold observations, ascending; a copy. */
    public int[] positiveIndexes() {
        return positiveIndexes.clone();
    }

    /** The counts of those buckets, in the same order; a copy. */
    public long[] positiveCounts() {
        return positiveCounts.clone();
    }

    /** The indexes of the negative buckets that hold observations, ascending; a copy. */
    public int[] negativeIndexes() {
        return negativeIndexes.clone();
    }

    /** The counts of those buckets, in the same order; a copy. */
    public long[] negativeCounts() {
        return negativeCounts.clone();
    }

    /** All observations: the zero bucket's and every bucket's. */
    public long count() {
        long n = zeroCount;
        for (long c : positiveCounts) {
            n += c;
        }
        for (long c : negativeCounts) {
            n += c;
        }
        return n;
    }

    /** The upper bound of positive bucket {@code index} at this schema: {@code 2^(index * 2^-schema)}. */
    public double upperBound(int index) {
        return Math.pow(2, Math.scalb((double) index, -schema));
    }
}
