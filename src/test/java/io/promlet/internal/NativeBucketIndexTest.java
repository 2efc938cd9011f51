package io.promlet.internal;

import io.promlet.model.NativeBuckets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeBucketIndexTest {
    private static double upperBound(int index, int schema) {
        return new NativeBuckets(schema, 0, 0, new int[0], new long[0], new int[0], new long[0]).upperBound(index);
    }

    @Test
    void knownBucketsAtSchemaZeroAndBelow() {
        assertEquals(0, NativeBucketIndex.of(1.0, 0));
        assertEquals(1, NativeBucketIndex.of(1.5, 0));
        assertEquals(1, NativeBucketIndex.of(2.0, 0));
        assertEquals(2, NativeBucketIndex.of(2.5, 0));
        assertEquals(-1, NativeBucketIndex.of(0.5, 0));
        assertEquals(1, NativeBucketIndex.of(4.0, -1));
        assertEquals(1, NativeBucketIndex.of(2.0, -1));
        assertEquals(0, NativeBucketIndex.of(1.0, -1));
        assertEquals(-1, NativeBucketIndex.of(0.25, -1));
        assertEquals(1, NativeBucketIndex.of(65536.0, -4));
        assertEquals(2, NativeBucketIndex.of(65537.0, -4));
    }

    @Test
    void knownBucketsAtPositiveSchemas() {
        // ceil(log2(1.1) * 8) = ceil(1.1) = 2; ceil(log2(1000) * 32) = ceil(318.9) = 319; ceil(log2(0.1) * 32) = ceil(-106.3) = -106
        assertEquals(2, NativeBucketIndex.of(1.1, 3));
        assertEquals(319, NativeBucketIndex.of(1000, 5));
        assertEquals(-106, NativeBucketIndex.of(0.1, 5));
        assertEquals(1, NativeBucketIndex.of(Math.nextUp(1.0), 8));
    }

    @Test
    void aValueOnABoundBelongsToTheBucketItCloses() {
        for (int schema = NativeBuckets.MIN_SCHEMA; schema <= NativeBuckets.MAX_SCHEMA; schema++) {
            for (int index = -700; index <= 700; index += 7) {
                double bound = upperBound(index, schema);
                if (bound == 0 || Double.isInfinite(bound)) {
                    continue;
                }
                assertEquals(index, NativeBucketIndex.of(bound, schema), "bound " + bound + " at schema " + schema);
                assertEquals(index + 1, NativeBucketIndex.of(Math.nextUp(bound), schema), "just above " + bound + " at schema " + schema);
                assertEquals(index, NativeBucketIndex.of(Math.nextDown(bound), schema), "just below " + bound + " at schema " + schema);
            }
        }
    }

    @Test
    void everyBucketOfThreeOctavesAtEveryPositiveSchema() {
        for (int schema = 1; schema <= NativeBuckets.MAX_SCHEMA; schema++) {
            int perOctave = 1 << schema;
            for (int index = -perOctave; index <= 2 * perOctave; index++) {
                double lower = upperBound(index - 1, schema);
                double upper = upperBound(index, schema);
                assertEquals(index, NativeBucketIndex.of(upper, schema), "bound " + upper + " at schema " + schema);
                assertEquals(index, NativeBucketIndex.of(Math.nextUp(lower), schema), "just above " + lower + " at schema " + schema);
                assertEquals(index, NativeBucketIndex.of((lower + upper) / 2, schema), "inside bucket " + index + " at schema " + schema);
            }
        }
    }

    @Test
    void randomMagnitudesLieInTheirBucket() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int n = 0; n < 200_000; n++) {
            double magnitude = Math.pow(10, -12 + 24 * random.nextDouble());
            int schema = random.nextInt(NativeBuckets.MIN_SCHEMA, NativeBuckets.MAX_SCHEMA + 1);
            int index = NativeBucketIndex.of(magnitude, schema);
            double lower = upperBound(index - 1, schema);
            double upper = upperBound(index, schema);
            org.junit.jupiter.api.Assertions.assertTrue(lower < magnitude && magnitude <= upper,
                    magnitude + " in bucket " + index + " (" + lower + ", " + upper + "] at schema " + schema);
        }
    }

    @Test
    void extremesHaveBuckets() {
        assertEquals(-1074, NativeBucketIndex.of(Double.MIN_VALUE, 0));
        assertEquals(-1072, NativeBucketIndex.of(3 * Double.MIN_VALUE, 0)); // 1.5 * 2^-1073, a subnormal
        assertEquals(1024, NativeBucketIndex.of(Double.MAX_VALUE, 0));
        assertEquals(NativeBucketIndex.of(Double.MAX_VALUE, 8), NativeBucketIndex.of(Double.POSITIVE_INFINITY, 8));
        assertEquals(64, NativeBucketIndex.of(Double.MAX_VALUE, -4));
        assertEquals(-67, NativeBucketIndex.of(Double.MIN_VALUE, -4));
    }

    @Test
    void coarseningRoundsIndexesUp() {
        assertEquals(2, NativeBucketIndex.coarsen(3, 1, 0));
        assertEquals(2, NativeBucketIndex.coarsen(4, 1, 0));
        assertEquals(0, NativeBucketIndex.coarsen(0, 1, 0));
        assertEquals(0, NativeBucketIndex.coarsen(-1, 1, 0));
        assertEquals(-1, NativeBucketIndex.coarsen(-2, 1, 0));
        assertEquals(-1, NativeBucketIndex.coarsen(-3, 1, 0));
        assertEquals(2, NativeBucketIndex.coarsen(5, 3, 1));
        for (int index = -300; index <= 300; index++) {
            double value = upperBound(index, 4);
            assertEquals(NativeBucketIndex.of(value, 1), NativeBucketIndex.coarsen(index, 4, 1), "index " + index);
        }
    }
}
