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
 * counts.observe(0.3, 0);
 * NativeHistogramCounts.Snapshot s = counts.snapshot();   // s.nativeBuckets().count() == 1
 * }</pre>
 *
 * <h2>Why two shards</h2>
 * Observers and scrapes agree through a hot and a cold shard, as client_golang's histogram does, but with striped
 * counters instead of one shared word, so that two observing threads do not fight over a cache line. An observer
 * registers in the hot shard's {@code started}, checks that the shard is still hot, counts, and registers in
 * {@code done}. A scrape (under the lock) makes the other shard hot, waits until the old one has as many
 * {@code done} as {@code started} (then no observer is still writing to it, and any later one sees that it is no
 * longer hot and moves on), reads it, adds it to the hot shard and clears it. So a snapshot always holds whole
 * observations.
 *
 * <h2>Why a schema reduction cannot lose an observation</h2>
 * A shard's native buckets live in a fixed ring of slots (a power of two, at least the buckets that the coarsest
 * schema needs), one bucket per index; an observation whose bucket is not in the ring yet takes the lock. There it
 * adds the bucket, or, when the ring or the bucket limit is full, reduces the schema: it makes a fresh window at
 * the coarser schema holding every existing bucket (merged pairwise, index {@code i} becoming {@code ceil(i/2)}),
 * flips to it exactly as a scrape does, and adds the old counts in. Observers racing the reduction land in the old
 * shard before the flip (and are carried over) or in the new one after it, once either way.
 */
public final class NativeHistogramCounts {
    /** At schema -4 all doubles take 132 buckets per sign, so a ring this large never needs a coarser schema. */
    private static final int MIN_SLOTS = 136;

    private final double[] classicUpperBounds;
    private final double zeroThreshold;
    private final int initialSchema;
    private final int maxBuckets;
    private final long resetNanos;
    private final int slotMask;
    private final Shard[] shards = new Shard[2];
    private volatile int hot;
    /** Guarded by this: when the counts last started from zero, for {@code resetNanos}. */
    private long lastResetNanos = System.nanoTime();

    /**
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
        this.classicUpperBounds = classicUpperBounds;
        this.initialSchema = initialSchema;
        this.zeroThreshold = zeroThreshold;
        this.maxBuckets = maxBuckets;
        this.resetNanos = resetNanos;
        this.slotMask = Integer.highestOneBit(Math.max(MIN_SLOTS, maxBuckets) * 2 - 1) - 1;
        int classicCount = classicUpperBounds == null ? 0 : classicUpperBounds.length;
        shards[0] = new Shard(classicCount);
        shards[1] = new Shard(classicCount);
        shards[0].window = new Window(initialSchema, slotMask);
    }

    /**
     * Counts one observation; lock-free and allocation-free unless its native bucket is new.
     *
     * @param value        not NaN
     * @param classicIndex the classic bucket it falls in; ignored without classic buckets
     */
    public void observe(double value, int classicIndex) {
        for (;;) {
            int h = hot;
            Shard shard = shards[h];
            shard.started.increment();
            if (hot != h) {
                // A scrape or reduction flipped the shards meanwhile and may already be reading this one.
                shard.done.increment();
                continue;
            }
            if (!shard.window.count(value, zeroThreshold)) {
                shard.done.increment();
                observeWithNewBucket(value, classicIndex);
                return;
            }
            shard.count(value, classicIndex);
            shard.done.increment();
            return;
        }
    }

    /** No flip happens while this holds the lock, so it counts in the hot shard without registering. */
    private synchronized void observeWithNewBucket(double value, int classicIndex) {
        addBucket(value);
        Shard shard = shards[hot];
        if (!shard.window.count(value, zeroThreshold)) {
            throw new IllegalStateException("no native bucket for " + value + " after adding it");
        }
        shard.count(value, classicIndex);
    }

    /** Adds the bucket of this value to the hot window, reducing the schema first if there is no room. */
    private void addBucket(double value) {
        Window window = shards[hot].window;
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
        Shard old = flipTo(coarser);
        carryOver(old, coarser);
        addBucket(value);
    }

    /**
     * Everything observed so far, consistent: {@link Snapshot#count()} equals the zero bucket plus all native
     * buckets, and the last cumulative classic count.
     */
    public synchronized Snapshot snapshot() {
        Window current = shards[hot].window;
        boolean restart = resetNanos > 0 && current.schema < initialSchema && System.nanoTime() - lastResetNanos >= resetNanos;
        Window next = restart ? new Window(initialSchema, slotMask) : current.coarsened(current.schema);
        Shard old = flipTo(next);
        Snapshot snapshot = old.read(zeroThreshold, restart);
        if (restart) {
            lastResetNanos = System.nanoTime();
            old.clear();
        } else {
            carryOver(old, next);
        }
        return snapshot;
    }

    /** Makes the other shard hot with this window and returns the old one once no observer writes to it any more. */
    private Shard flipTo(Window window) {
        int h = hot;
        Shard old = shards[h];
        shards[1 - h].window = window;
        hot = 1 - h;
        // done is read before started: if they match, no observer was between the two at the moment done was read
        // (done never passes started), and any observer that registers later sees the flip and moves on.
        int spins = 0;
        while (old.done.sum() != old.started.sum()) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return old;
    }

    /** Adds what the old shard counted to the hot one, then clears the old one for its next turn. */
    private void carryOver(Shard old, Window into) {
        Shard current = shards[hot];
        for (int i = 0; i < old.classic.length; i++) {
            current.classic[i].add(old.classic[i].sum());
        }
        current.sum.add(old.sum.sum());
        into.addAll(old.window);
        old.clear();
    }

    /** One side of the hot/cold pair: the counts observed while it was hot and not yet carried over. */
    private static final class Shard {
        final LongAdder started = new LongAdder();
        final LongAdder done = new LongAdder();
        final LongAdder[] classic;
        final DoubleAdder sum = new DoubleAdder();
        volatile Window window;

        Shard(int classicCount) {
            classic = new LongAdder[classicCount];
            for (int i = 0; i < classicCount; i++) {
                classic[i] = new LongAdder();
            }
        }

        void count(double value, int classicIndex) {
            if (classic.length > 0) {
                classic[classicIndex].increment();
            }
            sum.add(value);
        }

        Snapshot read(double zeroThreshold, boolean restarted) {
            long[] classicCounts = new long[classic.length];
            for (int i = 0; i < classic.length; i++) {
                classicCounts[i] = classic[i].sum();
            }
            return new Snapshot(classicCounts, sum.sum(), window.read(zeroThreshold), restarted);
        }

        /** Only while no observer writes here: the shard is cold and quiescent. */
        void clear() {
            for (LongAdder c : classic) {
                c.reset();
            }
            sum.reset();
            window = null;
        }
    }

    /** The native buckets of one shard at one schema. */
    private static final class Window {
        final int schema;
        final int slotMask;
        final LongAdder zero = new LongAdder();
        final AtomicReferenceArray<Bucket> positive;
        final AtomicReferenceArray<Bucket> negative;
        /** Guarded by the lock of the counts: buckets in both rings. */
        int used;

        Window(int schema, int slotMask) {
            this.schema = schema;
            this.slotMask = slotMask;
            this.positive = new AtomicReferenceArray<>(slotMask + 1);
            this.negative = new AtomicReferenceArray<>(slotMask + 1);
        }

        AtomicReferenceArray<Bucket> side(double value) {
            return value > 0 ? positive : negative;
        }

        /** Counts the value if its bucket exists; false if it must be added first. */
        boolean count(double value, double zeroThreshold) {
            double magnitude = Math.abs(value);
            if (magnitude <= zeroThreshold) {
                zero.increment();
                return true;
            }
            int index = NativeBucketIndex.of(magnitude, schema);
            Bucket bucket = side(value).get(index & slotMask);
            if (bucket == null || bucket.index != index) {
                return false;
            }
            bucket.increment();
            return true;
        }

        /** Under the lock; the slot is free. */
        Bucket add(AtomicReferenceArray<Bucket> side, int index) {
            Bucket bucket = new Bucket(index);
            side.set(index & slotMask, bucket);
            used++;
            return bucket;
        }

        /** Under the lock, on a window no observer writes to yet: the bucket of that index, added if missing. */
        Bucket bucket(AtomicReferenceArray<Bucket> side, int index) {
            Bucket bucket = side.get(index & slotMask);
            return bucket != null ? bucket : add(side, index);
        }

        /** A new, empty window at this schema or a coarser one with every bucket of this one already in place. */
        Window coarsened(int target) {
            Window coarser = new Window(target, slotMask);
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

        /** Adds the counts of a quiescent window at this schema or a finer one; its buckets are all in place here. */
        void addAll(Window from) {
            zero.add(from.zero.sum());
            addCounts(from, from.positive, positive);
            addCounts(from, from.negative, negative);
        }

        private void addCounts(Window from, AtomicReferenceArray<Bucket> fromSide, AtomicReferenceArray<Bucket> toSide) {
            for (int i = 0; i < fromSide.length(); i++) {
                Bucket b = fromSide.get(i);
                if (b != null) {
                    bucket(toSide, NativeBucketIndex.coarsen(b.index, from.schema, schema)).add(b.sum());
                }
            }
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

        NativeBuckets read(double zeroThreshold) {
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

    /** A native bucket: its index and its count. */
    @SuppressWarnings("serial")
    private static final class Bucket extends LongAdder {
        final int index;

        Bucket(int index) {
            this.index = index;
        }
    }

    /** What a shard held when it was read: whole observations only. */
    public static final class Snapshot {
        private final long[] classicCounts;
        private final double sum;
        private final NativeBuckets nativeBuckets;
        private final boolean restarted;

        Snapshot(long[] classicCounts, double sum, NativeBuckets nativeBuckets, boolean restarted) {
            this.classicCounts = classicCounts;
            this.sum = sum;
            this.nativeBuckets = nativeBuckets;
            this.restarted = restarted;
        }

        /** The count of each classic bucket, not cumulative; empty without classic buckets. */
        public long[] classicCounts() {
            return classicCounts;
        }

        /** The sum of the observations. */
        public double sum() {
            return sum;
        }

        /** The native buckets; their count is the count of observations. */
        public NativeBuckets nativeBuckets() {
            return nativeBuckets;
        }

        /**
         * True if the counts start from zero after this snapshot, at the initial schema again, because the reset
         * duration had passed with a reduced schema.
         */
        public boolean restarted() {
            return restarted;
        }
    }
}
