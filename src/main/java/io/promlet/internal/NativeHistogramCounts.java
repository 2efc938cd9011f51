package io.promlet.internal;

import io.promlet.model.NativeBuckets;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one histogram child with native buckets (and, optionally, classic ones over the same
 * observations): lock-free, allocation-free observations, and snapshots in which the count, the zero bucket, the
 * native buckets and the classic buckets all agree.
 *
 * <pre>{@code
 * NativeHistogramCounts counts = new NativeHistogramCounts(new double[] {1, Double.POSITIVE_INFINITY}, 5, 0x1p-128, 160, 0);
 * counts.observe(0.3);
 * NativeHistogramCounts.Snapshot s = counts.snapshot();   // s.nativeBuckets.count() == 1
 * }</pre>
 *
 * <h2>Why a scrape sees whole observations</h2>
 * Observers count into the hot window; a scrape (under the lock) swaps in a new hot window, waits until no
 * observer still writes to the old one, reads it, and adds it to the new one. As in client_golang's hot and cold
 * histograms, but with striped counters instead of one shared word, so that two observing threads do not fight
 * over a cache line: an observer adds one to the window's {@code started}, checks that the window is still hot,
 * adds to the sum, and counts its bucket last. That last count is its "done", so no extra counter is needed: the
 * old window is quiescent once its buckets and {@code abandoned} (observers that found the window no longer hot)
 * add up to {@code started}. Those sums are read before {@code started}; as "done" never passes {@code started},
 * equal sums mean that no observer was between the two at the moment they were read, and any later one sees the
 * swap and moves on.
 *
 * <h2>Why one count serves both kinds of bucket</h2>
 * Each native bucket (and the zero bucket) keeps one counter for each classic bucket it overlaps, usually just
 * one: an observation counts in the part of its native bucket that lies in its classic bucket. A native bucket's
 * count is the sum of its parts, a classic bucket's the sum of the parts in it; so the classic and native counts
 * cannot disagree, and an observation costs three striped counters (started, sum, bucket), whatever the buckets.
 * Finding the part needs no search of the classic bounds unless the native bucket straddles one of them: most
 * native buckets are much narrower than the classic ones, so most have a single part.
 *
 * <h2>Why a schema reduction cannot lose an observation</h2>
 * A window's native buckets live in a fixed ring of slots (a power of two, at least the buckets that the coarsest
 * schema needs), one bucket per index; an observation whose bucket is not in the ring yet takes the lock. There it
 * adds the bucket, or, when the ring or the bucket limit is full, reduces the schema: it makes a new window at
 * the coarser schema holding every existing bucket (merged pairwise, index {@code i} becoming {@code ceil(i/2)}),
 * swaps it in exactly as a scrape does, and adds the old counts in. Observers racing the reduction land in the old
 * window before the swap (and are carried over) or in the new one after it, once either way.
 */
public final class NativeHistogramCounts {
    /** At schema -4 all doubles take 132 buckets per sign, so a ring this large never needs a coarser schema. */
    private static final int MIN_SLOTS = 136;

    /** The classic bucket bounds; just {@code +Inf} for native buckets only. */
    private final double[] classicUpperBounds;
    private final boolean classic;
    private final double zeroThreshold;
    private final int initialSchema;
    private final int maxBuckets;
    private final long resetNanos;
    private final int slotMask;
    private volatile Window hot;
    /** Guarded by this: when the counts last started from zero, for {@code resetNanos}. */
    private long lastResetNanos = System.nanoTime();

    /**
     * Counts with these settings.
     *
     * @param classicUpperBounds the classic bucket bounds ending in {@code +Inf}, or null for native buckets only
     * @param initialSchema      the schema to start at, -4 to 8
     * @param zeroThreshold      magnitudes up to this count in the zero bucket
     * @param maxBuckets         the most native buckets (both signs) before the schema is reduced; at schema -4 it
     *                           is exceeded rather than an observation lost
     * @param resetNanos         after this long with a reduced schema, a scrape starts the counts afresh at the
     *                           initial schema; 0 never
     */
    public NativeHistogramCounts(double[] classicUpperBounds, int initialSchema, double zeroThreshold, int maxBuckets,
                                 long resetNanos) {
        this.classic = classicUpperBounds != null;
        this.classicUpperBounds = classic ? classicUpperBounds : new double[] {Double.POSITIVE_INFINITY};
        this.initialSchema = initialSchema;
        this.zeroThreshold = zeroThreshold;
        this.maxBuckets = maxBuckets;
        this.resetNanos = resetNanos;
        this.slotMask = Integer.highestOneBit(Math.max(MIN_SLOTS, maxBuckets) * 2 - 1) - 1;
        this.hot = new Window(initialSchema, slotMask, this.classicUpperBounds, zeroThreshold);
    }

    /**
     * Counts one observation; lock-free and allocation-free unless its native bucket is new.
     *
     * @param value not NaN
     */
    public void observe(double value) {
        for (;;) {
            Window window = hot;
            window.started.increment();
            if (hot != window) {
                // A scrape or reduction swapped the windows meanwhile and may already be reading this one.
                window.abandoned.increment();
                continue;
            }
            LongAdder last = window.counter(value);
            if (last == null) {
                window.abandoned.increment();
                observeWithNewBucket(value);
                return;
            }
            window.sum.add(value);
            last.increment();
            return;
        }
    }

    /** No swap happens while this holds the lock, so it counts in the hot window as an observer does. */
    private synchronized void observeWithNewBucket(double value) {
        addBucket(value);
        Window window = hot;
        LongAdder last = window.counter(value);
        if (last == null) {
            throw new IllegalStateException("no native bucket for " + value + " after adding it");
        }
        window.started.increment();
        window.sum.add(value);
        last.increment();
    }

    /** Adds the bucket of this value to the hot window, reducing the schema first if there is no room. */
    private void addBucket(double value) {
        Window window = hot;
        int index = NativeBucketIndex.of(Math.abs(value), window.schema);
        AtomicReferenceArray<Bucket> side = window.side(value);
        Bucket bucket = side.get(index & slotMask);
        if (bucket != null && bucket.index == index) {
            return;
        }
        if (bucket == null && (window.used < maxBuckets || window.schema == NativeBuckets.MIN_SCHEMA)) {
            window.add(side, index);
            return;
        }
        int target = window.schema - 1;
        while (target > NativeBuckets.MIN_SCHEMA && !window.fits(target, value, maxBuckets)) {
            target--;
        }
        Window coarser = window.coarsened(target);
        swapTo(coarser).carryOverTo(coarser);
        addBucket(value);
    }

    /**
     * Everything observed so far, consistent: the count of the native buckets (zero bucket included) is the
     * count of observations, and the classic counts add up to it.
     */
    public synchronized Snapshot snapshot() {
        Window current = hot;
        boolean restart = resetNanos > 0 && current.schema < initialSchema && System.nanoTime() - lastResetNanos >= resetNanos;
        Window next = restart ? new Window(initialSchema, slotMask, classicUpperBounds, zeroThreshold)
                : current.coarsened(current.schema);
        Window old = swapTo(next);
        Snapshot snapshot = old.read(classic, restart);
        if (restart) {
            lastResetNanos = System.nanoTime();
        } else {
            old.carryOverTo(next);
        }
        return snapshot;
    }

    /** Makes this window hot and returns the old one once no observer writes to it any more. */
    private Window swapTo(Window window) {
        Window old = hot;
        hot = window;
        int spins = 0;
        // "done" is read before started: see the class comment.
        while (old.done() != old.started.sum()) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return old;
    }

    /** The native buckets at one schema and the sum of the observations counted while it was hot (or carried over). */
    private static final class Window {
        final int schema;
        final int slotMask;
        final double[] classicUpperBounds;
        final double zeroThreshold;
        final LongAdder started = new LongAdder();
        final LongAdder abandoned = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();
        final Bucket zero;
        final AtomicReferenceArray<Bucket> positive;
        final AtomicReferenceArray<Bucket> negative;
        /** Guarded by the lock of the counts: buckets in both rings. */
        int used;

        Window(int schema, int slotMask, double[] classicUpperBounds, double zeroThreshold) {
            this.schema = schema;
            this.slotMask = slotMask;
            this.classicUpperBounds = classicUpperBounds;
            this.zeroThreshold = zeroThreshold;
            this.zero = new Bucket(0, classicIndex(classicUpperBounds, -zeroThreshold), classicIndex(classicUpperBounds, zeroThreshold));
            this.positive = new AtomicReferenceArray<>(slotMask + 1);
            this.negative = new AtomicReferenceArray<>(slotMask + 1);
        }

        AtomicReferenceArray<Bucket> side(double value) {
            return value > 0 ? positive : negative;
        }

        /** The counter of the value's classic bucket within its native (or zero) bucket, or null if that native bucket must be added first. */
        LongAdder counter(double value) {
            double magnitude = Math.abs(value);
            if (magnitude <= zeroThreshold) {
                return zero.part(value, classicUpperBounds);
            }
            int index = NativeBucketIndex.of(magnitude, schema);
            Bucket bucket = side(value).get(index & slotMask);
            return bucket == null || bucket.index != index ? null : bucket.part(value, classicUpperBounds);
        }

        /** The observations counted to the end here, and the observers that found the window no longer hot. */
        long done() {
            return abandoned.sum() + count();
        }

        long count() {
            long n = zero.sum();
            for (int i = 0; i < positive.length(); i++) {
                Bucket p = positive.get(i);
                Bucket q = negative.get(i);
                n += (p == null ? 0 : p.sum()) + (q == null ? 0 : q.sum());
            }
            return n;
        }

        /** Under the lock; the slot is free. */
        Bucket add(AtomicReferenceArray<Bucket> side, int index) {
            int[] classicRange = overlappedClassicBuckets(classicUpperBounds, schema, index, side == negative);
            Bucket bucket = new Bucket(index, classicRange[0], classicRange[1]);
            side.set(index & slotMask, bucket);
            used++;
            return bucket;
        }

        /** Under the lock, for buckets that are in place or whose slot is free: the bucket of that index. */
        Bucket bucket(AtomicReferenceArray<Bucket> side, int index) {
            Bucket bucket = side.get(index & slotMask);
            return bucket != null ? bucket : add(side, index);
        }

        /** A new, empty window at this schema or a coarser one with every bucket of this one already in place. */
        Window coarsened(int target) {
            Window coarser = new Window(target, slotMask, classicUpperBounds, zeroThreshold);
            coarser.addIndexes(this, positive, coarser.positive);
            coarser.addIndexes(this, negative, coarser.negative);
            return coarser;
        }

        private void addIndexes(Window from, AtomicReferenceArray<Bucket> fromSide, AtomicReferenceArray<Bucket> toSide) {
            for (int i = 0; i < fromSide.length(); i++) {
                Bucket b = fromSide.get(i);
                if (b != null) {
                    bucket(toSide, NativeBucketIndex.coarsen(b.index, from.schema, schema));
                }
            }
        }

        /**
         * Adds this quiescent window's counts to the hot one, whose buckets are all in place. The observations are
         * registered as started first, so that "done" never passes started there.
         */
        void carryOverTo(Window into) {
            into.started.add(count());
            into.sum.add(sum.sum());
            zero.addTo(into.zero);
            addCounts(positive, into, into.positive);
            addCounts(negative, into, into.negative);
        }

        private void addCounts(AtomicReferenceArray<Bucket> fromSide, Window into, AtomicReferenceArray<Bucket> toSide) {
            for (int i = 0; i < fromSide.length(); i++) {
                Bucket b = fromSide.get(i);
                if (b != null) {
                    b.addTo(into.bucket(toSide, NativeBucketIndex.coarsen(b.index, schema, into.schema)));
                }
            }
        }

        Snapshot read(boolean classic, boolean restarted) {
            long[] classicCounts = new long[classic ? classicUpperBounds.length : 0];
            if (classic) {
                zero.addClassicCounts(classicCounts);
                for (int i = 0; i < positive.length(); i++) {
                    Bucket p = positive.get(i);
                    Bucket q = negative.get(i);
                    if (p != null) {
                        p.addClassicCounts(classicCounts);
                    }
                    if (q != null) {
                        q.addClassicCounts(classicCounts);
                    }
                }
            }
            return new Snapshot(classicCounts, sum.sum(), nativeBuckets(), restarted);
        }

        /**
         * Whether the buckets at a coarser schema, with the value's one, stay within the limit and take distinct
         * slots of the ring.
         */
        boolean fits(int target, double value, int maxBuckets) {
            int[] pos = coarsenedIndexes(positive, target, value > 0 ? value : Double.NaN);
            int[] neg = coarsenedIndexes(negative, target, value < 0 ? value : Double.NaN);
            return pos.length + neg.length <= maxBuckets && distinctSlots(pos) && distinctSlots(neg);
        }

        private int[] coarsenedIndexes(AtomicReferenceArray<Bucket> side, int target, double extra) {
            int[] indexes = new int[side.length() + 1];
            int n = 0;
            for (int i = 0; i < side.length(); i++) {
                Bucket b = side.get(i);
                if (b != null) {
                    indexes[n++] = NativeBucketIndex.coarsen(b.index, schema, target);
                }
            }
            if (!Double.isNaN(extra)) {
                indexes[n++] = NativeBucketIndex.of(Math.abs(extra), target);
            }
            Arrays.sort(indexes, 0, n);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (distinct == 0 || indexes[i] != indexes[distinct - 1]) {
                    indexes[distinct++] = indexes[i];
                }
            }
            return Arrays.copyOf(indexes, distinct);
        }

        private boolean distinctSlots(int[] indexes) {
            boolean[] taken = new boolean[slotMask + 1];
            for (int index : indexes) {
                if (taken[index & slotMask]) {
                    return false;
                }
                taken[index & slotMask] = true;
            }
            return true;
        }

        NativeBuckets nativeBuckets() {
            Bucket[] pos = nonEmpty(positive);
            Bucket[] neg = nonEmpty(negative);
            return new NativeBuckets(schema, zeroThreshold, zero.sum(), indexes(pos), counts(pos), indexes(neg), counts(neg));
        }

        /** The buckets that hold observations, by ascending index (the ring keeps them in slot order). */
        private static Bucket[] nonEmpty(AtomicReferenceArray<Bucket> side) {
            Bucket[] buckets = new Bucket[side.length()];
            int n = 0;
            for (int i = 0; i < side.length(); i++) {
                Bucket b = side.get(i);
                if (b != null && b.sum() > 0) {
                    buckets[n++] = b;
                }
            }
            Bucket[] result = Arrays.copyOf(buckets, n);
            Arrays.sort(result, (a, b) -> Integer.compare(a.index, b.index));
            return result;
        }

        private static int[] indexes(Bucket[] buckets) {
            int[] indexes = new int[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                indexes[i] = buckets[i].index;
            }
            return indexes;
        }

        private static long[] counts(Bucket[] buckets) {
            long[] counts = new long[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                counts[i] = buckets[i].sum();
            }
            return counts;
        }
    }

    /** A native bucket: its index, and a counter for each classic bucket it overlaps. */
    private static final class Bucket {
        final int index;
        /** The classic bucket of {@code parts[0]}; the others follow. */
        final int firstClassic;
        final LongAdder[] parts;

        Bucket(int index, int firstClassic, int lastClassic) {
            this.index = index;
            this.firstClassic = firstClassic;
            this.parts = new LongAdder[lastClassic - firstClassic + 1];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new LongAdder();
            }
        }

        /** The counter of a classic bucket this one overlaps. */
        LongAdder part(int classicIndex) {
            return parts[classicIndex - firstClassic];
        }

        /** The counter of the classic bucket of a value in this bucket. */
        LongAdder part(double value, double[] classicUpperBounds) {
            return parts[classicIndexFrom(classicUpperBounds, firstClassic, value) - firstClassic];
        }

        long sum() {
            long n = 0;
            for (LongAdder part : parts) {
                n += part.sum();
            }
            return n;
        }

        /** Adds the counts to a bucket at this schema or a coarser one, which covers at least the same classic buckets. */
        void addTo(Bucket into) {
            for (int i = 0; i < parts.length; i++) {
                long n = parts[i].sum();
                if (n > 0) {
                    into.part(firstClassic + i).add(n);
                }
            }
        }

        void addClassicCounts(long[] classicCounts) {
            for (int i = 0; i < parts.length; i++) {
                classicCounts[firstClassic + i] += parts[i].sum();
            }
        }
    }

    /**
     * The classic bucket of a value whose native bucket overlaps the classic buckets from {@code first} on: the first
     * of their bounds at or above the value, compared as numbers as {@link #classicIndex} does. Most native buckets
     * lie in one classic bucket, so this is usually one comparison; only a bucket that straddles a bound searches.
     */
    static int classicIndexFrom(double[] classicUpperBounds, int first, double value) {
        int i = first;
        while (value > classicUpperBounds[i]) {
            i++;
        }
        return i;
    }

    /**
     * The first and the last classic bucket that native bucket {@code index} at this schema (of the negative values
     * if {@code negative}) overlaps. Its bounds are widened by far more than their rounding error: a classic bucket
     * too many only leaves a part empty, one too few would leave an observation without a counter.
     */
    static int[] overlappedClassicBuckets(double[] classicUpperBounds, int schema, int index, boolean negative) {
        double lower = Math.pow(2, Math.scalb((double) (index - 1), -schema)) * (1 - 1e-9);
        double upper = Math.pow(2, Math.scalb((double) index, -schema)) * (1 + 1e-9);
        return negative
                ? new int[] {classicIndex(classicUpperBounds, -upper), classicIndex(classicUpperBounds, -lower)}
                : new int[] {classicIndex(classicUpperBounds, lower), classicIndex(classicUpperBounds, upper)};
    }

    /**
     * The classic bucket of a value: the first of the ascending bounds (the last one {@code +Inf}) at or above it,
     * compared as numbers, so that -0.0 and 0.0 fall in the same bucket, as they must for the parts to match.
     *
     * @param value not NaN
     */
    public static int classicIndex(double[] upperBounds, double value) {
        int low = 0;
        int high = upperBounds.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (value > upperBounds[mid]) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** What a window held when it was read: whole observations only. */
    public static final class Snapshot {
        /** The count of each classic bucket, not cumulative; empty without classic buckets. */
        public final long[] classicCounts;
        /** The sum of the observations. */
        public final double sum;
        /** The native buckets; their count is the count of observations. */
        public final NativeBuckets nativeBuckets;
        /**
         * True if the counts start from zero after this snapshot, at the initial schema again, because the reset
         * duration had passed with a reduced schema.
         */
        public final boolean restarted;

        Snapshot(long[] classicCounts, double sum, NativeBuckets nativeBuckets, boolean restarted) {
            this.classicCounts = classicCounts;
            this.sum = sum;
            this.nativeBuckets = nativeBuckets;
            this.restarted = restarted;
        }
    }
}
