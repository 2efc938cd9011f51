package io.promlet.internal;

import io.promlet.model.NativeBuckets;

import java.util.Map;
import java.util.TreeMap;

/**
 * Native bucket counts added up by bucket index, from any number of sources that each kept their buckets at a fixed
 * schema, and shown within a bucket limit: what a scrape of the multi-process mode does with every process's counts.
 *
 * <pre>{@code
 * NativeBucketTally tally = new NativeBucketTally();
 * tally.add(5, 0x1p-128, 160, false, 32, 3);   // 3 observations in (2^(31/32), 2]
 * tally.add(4, 0x1p-128, 160, false, 16, 1);   // another source at schema 4: all are shown at schema 4
 * NativeBuckets merged = tally.buckets();      // schema 4, bucket 16 counts 4
 * }</pre>
 *
 * <p>Sources that disagree are reconciled without losing an observation: buckets at a finer schema are merged into
 * the coarsest one seen ({@link NativeBucketIndex#coarsen}); where zero thresholds differ, the largest wins, widened
 * to the upper bound of the bucket it falls in, and the buckets at or below that bound join the zero bucket; the
 * smallest bucket limit applies. While there are more buckets than the limit, the schema is reduced, neighbouring
 * buckets merged pairwise (index {@code i} becoming {@code ceil(i/2)}), down to schema -4.
 */
public final class NativeBucketTally {
    private int schema = Integer.MAX_VALUE;
    private double zeroThreshold = Double.NaN;
    private boolean zeroThresholdsDiffer;
    private int maxBuckets = Integer.MAX_VALUE;
    private long zeroCount;
    private TreeMap<Integer, Long> positive = new TreeMap<>();
    private TreeMap<Integer, Long> negative = new TreeMap<>();

    /** Adds the zero bucket count of a source with these settings; a count of 0 still tells its settings. */
    public void addZero(int schema, double zeroThreshold, int maxBuckets, long count) {
        settings(schema, zeroThreshold, maxBuckets);
        zeroCount += count;
    }

    /** Adds the count of a bucket of a source with these settings; a count of 0 still tells its settings. */
    public void add(int schema, double zeroThreshold, int maxBuckets, boolean negative, int index, long count) {
        settings(schema, zeroThreshold, maxBuckets);
        if (count > 0) {
            (negative ? this.negative : this.positive).merge(NativeBucketIndex.coarsen(index, schema, this.schema), count, Long::sum);
        }
    }

    private void settings(int schema, double zeroThreshold, int maxBuckets) {
        if (schema < this.schema) {
            positive = coarsened(positive, this.schema, schema);
            negative = coarsened(negative, this.schema, schema);
            this.schema = schema;
        }
        if (!Double.isNaN(this.zeroThreshold) && zeroThreshold != this.zeroThreshold) {
            zeroThresholdsDiffer = true;
        }
        this.zeroThreshold = Double.isNaN(this.zeroThreshold) ? zeroThreshold : Math.max(this.zeroThreshold, zeroThreshold);
        this.maxBuckets = Math.min(this.maxBuckets, maxBuckets);
    }

    /** True until a source has added something, even a count of 0. */
    public boolean isEmpty() {
        return Double.isNaN(zeroThreshold);
    }

    /**
     * The merged buckets, within the bucket limit.
     *
     * @throws IllegalStateException if the tally {@link #isEmpty()}
     */
    public NativeBuckets buckets() {
        if (isEmpty()) {
            throw new IllegalStateException("no native buckets were added");
        }
        double threshold = zeroThreshold;
        long zero = zeroCount;
        TreeMap<Integer, Long> pos = positive;
        TreeMap<Integer, Long> neg = negative;
        if (zeroThresholdsDiffer && threshold > 0) {
            // A source with a smaller threshold counted values up to the largest one in buckets: they join the zero
            // bucket, which therefore ends at a bucket bound, so that no bucket is split.
            int last = NativeBucketIndex.of(threshold, schema);
            threshold = Math.pow(2, Math.scalb((double) last, -schema));
            zero += sumAndRemoveUpTo(pos = new TreeMap<>(pos), last) + sumAndRemoveUpTo(neg = new TreeMap<>(neg), last);
        }
        int s = schema;
        while (pos.size() + neg.size() > maxBuckets && s > NativeBuckets.MIN_SCHEMA) {
            pos = coarsened(pos, s, s - 1);
            neg = coarsened(neg, s, s - 1);
            s--;
        }
        return new NativeBuckets(s, threshold, zero, indexes(pos), counts(pos), indexes(neg), counts(neg));
    }

    private static long sumAndRemoveUpTo(TreeMap<Integer, Long> side, int last) {
        Map<Integer, Long> low = side.headMap(last, true);
        long n = 0;
        for (long c : low.values()) {
            n += c;
        }
        low.clear();
        return n;
    }

    private static TreeMap<Integer, Long> coarsened(TreeMap<Integer, Long> side, int from, int to) {
        if (from <= to) {
            return side;
        }
        TreeMap<Integer, Long> coarser = new TreeMap<>();
        side.forEach((index, count) -> coarser.merge(NativeBucketIndex.coarsen(index, from, to), count, Long::sum));
        return coarser;
    }

    private static int[] indexes(TreeMap<Integer, Long> side) {
        return side.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] counts(TreeMap<Integer, Long> side) {
        return side.values().stream().mapToLong(Long::longValue).toArray();
    }
}
