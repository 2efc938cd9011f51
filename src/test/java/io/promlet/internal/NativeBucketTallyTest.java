package io.promlet.internal;

import io.promlet.model.NativeBuckets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the multi-process mode's scrape adds up the buckets of processes, also of processes whose settings differ. */
class NativeBucketTallyTest {
    private static final double THRESHOLD = 0x1p-128;

    private static NativeBuckets positive(int schema, double zeroThreshold, long zeroCount, int[] indexes, long[] counts) {
        return new NativeBuckets(schema, zeroThreshold, zeroCount, indexes, counts, new int[0], new long[0]);
    }

    @Test
    void equalBucketsAddUpAndAFinerSchemaIsCoarsenedWhicheverComesFirst() {
        NativeBucketTally finerFirst = new NativeBucketTally();
        finerFirst.add(5, THRESHOLD, 160, false, 33, 2);
        finerFirst.add(5, THRESHOLD, 160, false, 32, 1);
        finerFirst.add(4, THRESHOLD, 160, false, 17, 1);
        finerFirst.add(4, THRESHOLD, 160, false, 17, 4);
        NativeBucketTally coarserFirst = new NativeBucketTally();
        coarserFirst.add(4, THRESHOLD, 160, false, 17, 5);
        coarserFirst.add(5, THRESHOLD, 160, false, 33, 2);
        coarserFirst.add(5, THRESHOLD, 160, false, 32, 1);
        // At schema 5, 33 is (2^(32/32), 2^(33/32)], inside bucket 17 of schema 4; 32 closes bucket 16.
        NativeBuckets expected = positive(4, THRESHOLD, 0, new int[] {16, 17}, new long[] {1, 7});
        assertEquals(expected, finerFirst.buckets());
        assertEquals(expected, coarserFirst.buckets());
    }

    @Test
    void theLargestZeroThresholdWinsWidenedToABucketBoundAndTheBucketsBelowJoinTheZeroBucket() {
        NativeBucketTally tally = new NativeBucketTally();
        tally.addZero(0, 0.1, 160, 2);
        tally.add(0, THRESHOLD, 160, false, -4, 1);   // 0.05: (1/32, 1/16]
        tally.add(0, THRESHOLD, 160, false, -3, 1);   // 0.09: (1/16, 1/8], which holds 0.1
        tally.add(0, THRESHOLD, 160, true, -3, 1);    // -0.09
        tally.add(0, THRESHOLD, 160, false, -1, 1);   // 0.5
        tally.add(0, 0.1, 160, true, 1, 3);           // -1.5
        NativeBuckets merged = tally.buckets();
        assertEquals(0.125, merged.zeroThreshold());
        assertEquals(5, merged.zeroCount());
        assertEquals(new NativeBuckets(0, 0.125, 5, new int[] {-1}, new long[] {1}, new int[] {1}, new long[] {3}), merged);
    }

    @Test
    void equalZeroThresholdsAreKeptAsTheyAreEvenBetweenBucketBounds() {
        NativeBucketTally tally = new NativeBucketTally();
        tally.addZero(0, 0.1, 160, 1);
        tally.add(0, 0.1, 160, false, -3, 1);        // 0.11, above the threshold within (1/16, 1/8]
        assertEquals(positive(0, 0.1, 1, new int[] {-3}, new long[] {1}), tally.buckets());
    }

    @Test
    void theSchemaIsReducedPairwiseWhileThereAreMoreBucketsThanTheSmallestLimitDownToMinusFour() {
        NativeBucketTally tally = new NativeBucketTally();
        for (int i = -3; i <= 4; i++) {
            tally.add(2, THRESHOLD, i < 0 ? 3 : 160, false, i, 1);
        }
        // Limit 3: schema 1 maps -3..4 to -1, -1, 0, 0, 1, 1, 2, 2 (4 buckets); schema 0 to 0, 0, 0, 0, 1, 1, 1, 1.
        assertEquals(positive(0, THRESHOLD, 0, new int[] {0, 1}, new long[] {4, 4}), tally.buckets());

        NativeBucketTally far = new NativeBucketTally();
        far.add(-4, THRESHOLD, 1, false, 1, 1);
        far.add(-4, THRESHOLD, 1, true, 60, 1);
        NativeBuckets coarsest = far.buckets();
        assertEquals(-4, coarsest.schema());
        assertEquals(2, coarsest.count(), "at schema -4 the limit gives way");
    }

    @Test
    void aSourceWithNoObservationsStillGivesTheSettings() {
        NativeBucketTally tally = new NativeBucketTally();
        assertTrue(tally.isEmpty());
        assertThrows(IllegalStateException.class, tally::buckets);
        tally.addZero(3, 0.5, 10, 0);
        tally.add(3, 0.5, 10, true, 7, 0);
        assertEquals(positive(3, 0.5, 0, new int[0], new long[0]), tally.buckets());
    }
}
