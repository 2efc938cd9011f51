package io.promlet.internal;

/**
 * Logarithmic buckets over the doubles, the mapping of a DDSketch: every bucket spans a fixed ratio, so any
 * value in a bucket is within {@link #RELATIVE_ACCURACY} of the bucket's {@link #value(int) representative}.
 *
 * <p>Each octave {@code [2^e, 2^(e+1))} splits into {@value #PER_OCTAVE} buckets at doubles next to
 * {@code 2^(e + j/70)}: a ratio of {@code g = 2^(1/70)} per bucket. A bucket {@code [lo, hi)} is represented by
 * {@code 2·lo·hi / (lo + hi)}, which is within {@code (hi - lo) / (hi + lo)} of every value in it, relatively;
 * that is {@code (g - 1) / (g + 1)}, just under 0.5%. Because the octave is a power of two, the index comes
 * from the exponent bits and a table lookup on the top mantissa bits instead of a logarithm.
 *
 * <p>Indexes run in ascending order of value: negative values mirror the positive ones below {@link #ZERO},
 * which holds zero itself. Magnitudes below {@code 2^-36} (about 1.5e-11) share the bucket closest to zero on
 * their side, and magnitudes of {@code 2^52} (about 4.5e15) or more, infinities included, share the outermost
 * bucket; only there is the error unbounded.
 */
final class LogBuckets {
    /** Buckets per power of two. */
    static final int PER_OCTAVE = 70;
    /** The smallest magnitude with its own buckets is {@code 2^MIN_EXPONENT}. */
    static final int MIN_EXPONENT = -36;
    /** Magnitudes from {@code 2^MAX_EXPONENT} up share the outermost bucket. */
    static final int MAX_EXPONENT = 52;
    /** The index of zero; the negative buckets lie below it, the positive ones above. */
    static final int ZERO = (MAX_EXPONENT - MIN_EXPONENT) * PER_OCTAVE;
    /** The number of indexes: {@code 0 .. COUNT - 1}. */
    static final int COUNT = 2 * ZERO + 1;

    private static final int MANTISSA_BITS = 52;
    private static final long MANTISSA_MASK = (1L << MANTISSA_BITS) - 1;
    /** Mantissa bits that pick a table cell; a cell (1/256 of an octave) is narrower than any bucket. */
    private static final int CELL_BITS = 8;

    /** Mantissa bits of each bucket's lower bound within an octave, plus the octave's end. */
    private static final long[] LOWER = new long[PER_OCTAVE + 1];
    /** For each table cell, the bucket its first mantissa falls in; the cell's next bucket starts at most once in it. */
    private static final byte[] FIRST_BUCKET = new byte[1 << CELL_BITS];
    /** Each bucket's representative, for the octave {@code [1, 2)}. */
    private static final double[] REPRESENTATIVE = new double[PER_OCTAVE];

    /** The largest relative error of a representative, over all buckets of the octave (clamped ones aside). */
    static final double RELATIVE_ACCURACY;

    static {
        for (int j = 1; j < PER_OCTAVE; j++) {
            LOWER[j] = Double.doubleToRawLongBits(StrictMath.pow(2, j / (double) PER_OCTAVE)) & MANTISSA_MASK;
        }
        LOWER[PER_OCTAVE] = 1L << MANTISSA_BITS;
        int j = 0;
        for (int cell = 0; cell < FIRST_BUCKET.length; cell++) {
            while (LOWER[j + 1] <= (long) cell << (MANTISSA_BITS - CELL_BITS)) {
                j++;
            }
            FIRST_BUCKET[cell] = (byte) j;
        }
        double worst = 0;
        for (j = 0; j < PER_OCTAVE; j++) {
            double lo = 1 + Math.scalb((double) LOWER[j], -MANTISSA_BITS);
            double hi = 1 + Math.scalb((double) LOWER[j + 1], -MANTISSA_BITS);
            REPRESENTATIVE[j] = 2 * lo * hi / (lo + hi);
            worst = Math.max(worst, (hi - lo) / (hi + lo));
        }
        RELATIVE_ACCURACY = worst;
    }

    private LogBuckets() {
    }

    /** The index of the bucket holding this value, which must not be NaN. */
    static int index(double value) {
        long bits = Double.doubleToRawLongBits(value);
        long magnitude = bits & Long.MAX_VALUE;
        if (magnitude == 0) {
            return ZERO;
        }
        int exponent = (int) (magnitude >>> MANTISSA_BITS) - Double.MAX_EXPONENT;
        int k;
        if (exponent < MIN_EXPONENT) {
            k = 0;
        } else if (exponent >= MAX_EXPONENT) {
            k = ZERO - 1;
        } else {
            long mantissa = magnitude & MANTISSA_MASK;
            int j = FIRST_BUCKET[(int) (mantissa >>> (MANTISSA_BITS - CELL_BITS))];
            // One more if the mantissa reached the next bound: the sign bit of (bound - 1 - mantissa).
            j += (int) ((LOWER[j + 1] - 1 - mantissa) >>> 63);
            k = (exponent - MIN_EXPONENT) * PER_OCTAVE + j;
        }
        return bits < 0 ? ZERO - 1 - k : ZERO + 1 + k;
    }

    /** The representative of the bucket with this index: zero, or a value within the relative accuracy of its members. */
    static double value(int index) {
        if (index == ZERO) {
            return 0.0;
        }
        int k = index > ZERO ? index - ZERO - 1 : ZERO - 1 - index;
        double magnitude = Math.scalb(REPRESENTATIVE[k % PER_OCTAVE], k / PER_OCTAVE + MIN_EXPONENT);
        return index > ZERO ? magnitude : -magnitude;
    }
}
