package io.promlet.internal;

/**
 * The index of the native histogram bucket a magnitude falls in, exactly as Prometheus defines the buckets: at
 * schema {@code s}, bucket {@code i} holds the magnitudes {@code m} with {@code 2^((i-1)/2^s) < m <= 2^(i/2^s)}.
 *
 * <p>No logarithm: the exponent bits give the power of two, and for positive schemas the mantissa's top bits pick
 * a cell narrower than any bucket, so one comparison with the bucket bound in that cell gives the rest. A magnitude
 * that equals a bound therefore lands in the bucket it closes, which a rounded {@code log2} could miss.
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
     * {@code j = 0 .. 2^s - 1}, then 1 as a sentinel. Bound {@code j} scaled by {@code 2^(e+1)} is the upper bound
     * of bucket {@code e·2^s + j}.
     */
    private static final double[][] BOUNDS = new double[9][];

    /**
     * For each positive schema {@code s}, [0.5, 1) cut into {@code 2^(s+1)} cells by the mantissa's top {@code s+1}
     * bits, and for each cell the first bound at or above its start. A cell is {@code 2^-(s+2)} wide, less than the
     * narrowest bucket (about {@code 0.35·2^-s}), so it holds at most one bound: the bucket of a fraction in the
     * cell is that first bound's, or the next one's when the fraction lies above it.
     */
    private static final int[][] FIRST_BOUND = new int[9][];

    static {
        for (int schema = 1; schema < BOUNDS.length; schema++) {
            int perOctave = 1 << schema;
            double[] bounds = new double[perOctave + 1];
            for (int j = 0; j < perOctave; j++) {
                bounds[j] = Math.scalb(Math.pow(2, (double) j / perOctave), -1);
            }
            bounds[perOctave] = 1;
            BOUNDS[schema] = bounds;
            int[] first = new int[2 * perOctave];
            int j = 0;
            for (int cell = 0; cell < first.length; cell++) {
                double start = 0.5 + Math.scalb((double) cell, -(schema + 2));
                while (bounds[j] < start) {
                    j++;
                }
                first[cell] = j;
            }
            FIRST_BOUND[schema] = first;
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
            int j = FIRST_BOUND[schema][(int) (mantissa >>> (52 - (schema + 1)))];
            if (bounds[j] < frac) {
                j++;
            }
            return j + (exp - 1) * (bounds.length - 1);
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
