package io.promlet.internal;

/**
 * The counts of one histogram child with native buckets in a shared store: every observation counts in its native
 * bucket at one schema that never changes, in a {@link Value} of the store, so that other processes can add the
 * counts up bucket by bucket. The schema is reduced only when the counts are shown ({@link NativeBucketTally}).
 *
 * <pre>{@code
 * FixedSchemaNativeCounts counts = new FixedSchemaNativeCounts(store.nativeBuckets(name, labels, bounds, 5, 0x1p-128, 160),
 *         bounds, 5, 0x1p-128, 160, store.counter(name, name + "_sum", labels));
 * counts.observe(0.3);
 * }</pre>
 *
 * <p>As in {@link NativeHistogramCounts}, a native bucket keeps one count for each classic bucket it overlaps, so an
 * observation is one addition (and one to the sum), and the classic counts, being sums of the same values, always
 * agree with the native ones. A bucket's values are made on its first observation, under this object's lock; later
 * observations find them in a sorted array, published whole, without a lock or an allocation.
 */
public final class FixedSchemaNativeCounts {
    private final NativeBucketValues values;
    private final double[] classicUpperBounds;
    private final int schema;
    private final double zeroThreshold;
    private final int maxBuckets;
    private final Value sum;
    private final Bucket zero;
    /** By ascending index; replaced, never changed, under the lock. */
    private volatile Bucket[] positive = new Bucket[0];
    private volatile Bucket[] negative = new Bucket[0];

    /**
     * Counts with these settings; the zero bucket's values are made at once.
     *
     * @param classicUpperBounds the classic bucket bounds ending in {@code +Inf}; just that without classic buckets
     * @param maxBuckets         the most native buckets a snapshot shows before it reduces the schema
     */
    public FixedSchemaNativeCounts(NativeBucketValues values, double[] classicUpperBounds, int schema, double zeroThreshold,
                                   int maxBuckets, Value sum) {
        this.values = values;
        this.classicUpperBounds = classicUpperBounds;
        this.schema = schema;
        this.zeroThreshold = zeroThreshold;
        this.maxBuckets = maxBuckets;
        this.sum = sum;
        int first = NativeHistogramCounts.classicIndex(classicUpperBounds, -zeroThreshold);
        int last = NativeHistogramCounts.classicIndex(classicUpperBounds, zeroThreshold);
        Value[] parts = new Value[last - first + 1];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = values.zero(first + i);
        }
        this.zero = new Bucket(0, first, parts);
    }

    /**
     * Counts one observation; lock-free, and allocation-free unless its native bucket is new.
     *
     * @param value not NaN
     */
    public void observe(double value) {
        double magnitude = Math.abs(value);
        Bucket bucket = zero;
        if (magnitude > zeroThreshold) {
            boolean negative = value < 0;
            int index = NativeBucketIndex.of(magnitude, schema);
            bucket = find(negative ? this.negative : positive, index);
            if (bucket == null) {
                bucket = add(negative, index);
            }
        }
        bucket.part(value, classicUpperBounds).add(1);
        sum.add(value);
    }

    private static Bucket find(Bucket[] side, int index) {
        int low = 0;
        int high = side.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = side[mid].index;
            if (at < index) {
                low = mid + 1;
            } else if (at > index) {
                high = mid - 1;
            } else {
                return side[mid];
            }
        }
        return null;
    }

    private synchronized Bucket add(boolean negative, int index) {
        Bucket[] side = negative ? this.negative : positive;
        Bucket known = find(side, index);
        if (known != null) {
            return known;
        }
        int[] classicRange = NativeHistogramCounts.overlappedClassicBuckets(classicUpperBounds, schema, index, negative);
        int first = classicRange[0];
        int last = classicRange[1];
        Value[] parts = new Value[last - first + 1];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = values.bucket(negative, index, first + i);
        }
        Bucket bucket = new Bucket(index, first, parts);
        int at = 0;
        while (at < side.length && side[at].index < index) {
            at++;
        }
        Bucket[] grown = new Bucket[side.length + 1];
        System.arraycopy(side, 0, grown, 0, at);
        grown[at] = bucket;
        System.arraycopy(side, at, grown, at + 1, side.length - at);
        if (negative) {
            this.negative = grown;
        } else {
            positive = grown;
        }
        return bucket;
    }

    /**
     * What this child has observed, the schema reduced to show at most the bucket limit. The classic and native
     * counts are read from the same values, so they agree; the sum is read apart, and may already hold an
     * observation that the counts do not yet.
     */
    public NativeHistogramCounts.Snapshot snapshot() {
        long[] classicCounts = new long[classicUpperBounds.length];
        NativeBucketTally tally = new NativeBucketTally();
        tally.addZero(schema, zeroThreshold, maxBuckets, zero.read(classicCounts));
        for (Bucket b : positive) {
            tally.add(schema, zeroThreshold, maxBuckets, false, b.index, b.read(classicCounts));
        }
        for (Bucket b : negative) {
            tally.add(schema, zeroThreshold, maxBuckets, true, b.index, b.read(classicCounts));
        }
        return new NativeHistogramCounts.Snapshot(classicCounts, sum.get(), tally.buckets(), false);
    }

    /** A native bucket (or the zero bucket): its index, and a value for each classic bucket it overlaps. */
    private static final class Bucket {
        final int index;
        /** The classic bucket of {@code parts[0]}; the others follow. */
        final int firstClassic;
        final Value[] parts;

        Bucket(int index, int firstClassic, Value[] parts) {
            this.index = index;
            this.firstClassic = firstClassic;
            this.parts = parts;
        }

        /** The value of the classic bucket of a value in this bucket. */
        Value part(double value, double[] classicUpperBounds) {
            return parts[NativeHistogramCounts.classicIndexFrom(classicUpperBounds, firstClassic, value) - firstClassic];
        }

        /** Its count, each part also added to its classic bucket's count. */
        long read(long[] classicCounts) {
            long n = 0;
            for (int i = 0; i < parts.length; i++) {
                long c = Math.round(parts[i].get());
                classicCounts[firstClassic + i] += c;
                n += c;
            }
            return n;
        }
    }
}
