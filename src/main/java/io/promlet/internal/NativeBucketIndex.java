package io.promlet.internal;

/**
 * The index of the native histogram bucket a magnitude falls in, exactly as Prometheus defines the buckets: at
 * schema {@code s}, bucket {@code i} holds the magnitudes {@code m} with {@code 2^((i-1)/2^s) < m <= 2^(i/2^s)}.
 *
 * <p>No logarithm: the exponent bits give the power of two, and for positive schemas a binary search of the
 * mantissa among the {@code 2^s} bucket bounds within one power of two gives the rest. A magnitude that equals a
 * bound therefore lands in the bucket it closes, which a rounded {@code log2} could miss.
 *
 * <pre>{@code
 * NativeBucketIndex.of(1.0, 0);   // 0: (0.5, 1]
 * NativeBucketIndex.of(1.5, 0);   // 1: (1, 2]
 * NativeBucketIndex.of(4.0, -1);  // 1: (1, 4]
 * }</pre>
 */
public final class NativeBucketIndex {
    private static final long MANTISSA_MASK = (1L << 52) - 1;
    private static final long EXPONENT_OF_ONE_HALF = Double.doubleToRawLongBits(0.5);

    /**
     * For each positive schema {@code s}, the bucket bounds within {@code [0.5, 1)}: {@code 2^(j/2^s - 1)} for
     * {@code j = 0 .. 2^s - 1}. Bound {@code j} scaled by {@code 2^(e+1)} is the upper bound of bucket
     * {@code e·2^s + j}.
     */
    private static final double[][] BOUNDS = new double[9][];

    static {
        for (int schema = 1; schema < BOUNDS.length; schema++) {
            int perOctave = 1 << schema;
            double[] bounds = new double[perOctave];
            for (int j = 0; j < perOctave; j++) {
                bounds[j] = Math.scalb(Math.pow(2, (double) j / perOctave), -1);
            }
            BOUNDS[schema] = bounds;
        }
    }

    private NativeBucketIndex() {
    }

    /**
     * The bucket of a magnitude at a schema.
     *
     * @param magnitude a positive value; infinity counts as the largest double, so it has a bucket too
     * @param schema    from -4 to 8
     */
    public static int of(double magnitude, int schema) {
        double m = Math.min(magnitude, Double.MAX_VALUE);
        int shift = 0;
        if (m < Double.MIN_NORMAL) {
            // Subnormals have no implicit leading bit; scaling them into the normal range keeps the mantissa exact.
            m = Math.scalb(m, 64);
            shift = 64;
        }
        // m = frac * 2^exp with frac in [0.5, 1), as C's frexp splits it.
        int exp = Math.getExponent(m) + 1 - shift;
        long mantissa = Double.doubleToRawLongBits(m) & MANTISSA_MASK;
        if (schema > 0) {
            double frac = Double.longBitsToDouble(mantissa | EXPONENT_OF_ONE_HALF);
            double[] bounds = BOUNDS[schema];
            int low = 0;
            int high = bounds.length;
            // The first bound at or above frac: that bucket closes over frac.
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (bounds[mid] < frac) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low + (exp - 1) * bounds.length;
        }
        // A power of two closes the bucket below: 2^(exp-1) is the upper bound of bucket exp - 1 at schema 0.
        int key = mantissa == 0 ? exp - 1 : exp;
        int coarsening = -schema;
        return (key + (1 << coarsening) - 1) >> coarsening;
    }

    /** The bucket that index {@code index} at schema {@code from} falls in at the coarser schema {@code to}. */
    public static int coarsen(int index, int from, int to) {
        int merged = from - to;
        // An arithmetic shift floors, so adding 2^merged - 1 first rounds up: bucket i becomes ceil(i / 2^merged).
        return (index + (1 << merged) - 1) >> merged;
    }
}
