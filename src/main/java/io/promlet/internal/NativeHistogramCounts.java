package io.promlet.internal;

import io.promlet.model.NativeBuckets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
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
 * Observers count into the hot window: an observer adds one to the window's {@code started}, checks that the
 * window is still hot, adds to the sum, and counts its bucket last. That last count is its "done", so no extra
 * counter is needed: no observer is halfway once the buckets and {@code abandoned} (observers that found the window
 * no longer hot, or their bucket missing) add up to {@code started}. Those sums are read before {@code started};
 * as "done" never passes {@code started}, equal sums mean that no observer was between the two at the moment they
 * were read.
 *
 * <p>A scrape (under the lock) first reads the hot window in place: {@code started}, the buckets, the sum, and
 * {@code started} again. If {@code started} did not move and the buckets and {@code abandoned} add up to it, every
 * observation that had started was done before its bucket was read, its sum added before that, and no other one
 * began: the reading is exact, and costs neither a swap nor an allocated window. That is the usual case, as a
 * child is rarely observed in the microsecond its reading takes, and it makes a scrape in the text formats, which
 * show only the classic counts, cheap. Only when readings keep meeting observers does the scrape swap in the
 * other hot window, wait until no observer still writes to the old one, read it, and add it to the new one, as
 * client_golang's hot and cold histograms do, but with striped counters instead of one shared word, so that two
 * observing threads do not fight over a cache line. The old window is then emptied and kept as the spare for the
 * next swap, so a child that is busy whenever it is scraped allocates no window either; it is made once, at the
 * first such swap.
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
 * An observation whose native bucket is not in the window yet takes the lock. There it adds the bucket, or, when
 * the bucket limit is reached, reduces the schema: it makes a new window at
 * the coarser schema holding every existing bucket (merged pairwise, index {@code i} becoming {@code ceil(i/2)}),
 * swaps it in exactly as a scrape does, and adds the old counts in. Observers racing the reduction land in the old
 * window before the swap (and are carried over) or in the new one after it, once either way.
 */
public final class NativeHistogramCounts {
    /** The slots of a side's first ring; it doubles when it would be more than half full. */
    private static final int FIRST_SLOTS = 8;
    /** How often a scrape reads the hot window in place, hoping no observer is halfway, before it swaps it. */
    private static final int READS_IN_PLACE = 3;
    private static final Bucket[] NO_BUCKETS = new Bucket[0];
    private static final VarHandle ABANDONED;

    static {
        try {
            ABANDONED = MethodHandles.lookup().findVarHandle(Window.class, "abandoned", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The classic bucket bounds; just {@code +Inf} for native buckets only. */
    private final double[] classicUpperBounds;
    private final boolean classic;
    private final double zeroThreshold;
    private final int initialSchema;
    private final int maxBuckets;
    private final long resetNanos;
    private volatile Window hot;
    /** Guarded by this: when the counts last started from zero, for {@code resetNanos}. */
    private long lastResetNanos = System.nanoTime();
    /**
     * Guarded by this: the window the last swap of a scrape retired, emptied, to be hot again at the next one (the
     * two take turns); null before such a swap, or after a reduction or restart made its schema stale.
     */
    private Window spare;

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
        this.hot = new Window(initialSchema);
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
                window.abandon();
                continue;
            }
            LongAdder last = window.counter(value);
            if (last == null) {
                window.abandon();
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
        double magnitude = Math.abs(value);
        if (magnitude <= zeroThreshold) {
            if (window.zero == null) {
                window.zero = newZeroBucket();
            }
            return;
        }
        boolean negative = value < 0;
        int index = NativeBucketIndex.of(magnitude, window.schema);
        if (window.find(negative, index) != null) {
            return;
        }
        if (window.used() < maxBuckets || window.schema == NativeBuckets.MIN_SCHEMA) {
            window.add(negative, index);
            return;
        }
        int target = window.schema - 1;
        while (target > NativeBuckets.MIN_SCHEMA && !window.fits(target, value)) {
            target--;
        }
        Window coarser = window.coarsened(target);
        swapTo(coarser).carryOverTo(coarser);
        spare = null;
        addBucket(value);
    }

    private Bucket newZeroBucket() {
        return new Bucket(0, classicIndex(classicUpperBounds, -zeroThreshold), classicIndex(classicUpperBounds, zeroThreshold));
    }

    /**
     * Everything observed so far, consistent: the count of the native buckets (zero bucket included) is the
     * count of observations, the classic counts add up to it, and the sum is theirs.
     *
     * <p>The hot window is read in place first, and the reading kept if no observer was halfway through it: its
     * {@code started} unchanged from before the reading to after it, and its buckets and {@code abandoned} adding
     * up to it. A child that no thread is observing therefore costs a scrape no swap and no window; only a
     * reading that keeps meeting observers swaps the window, to read the old one once it is quiescent.
     */
    public synchronized Snapshot snapshot() {
        Window current = hot;
        boolean restart = resetNanos > 0 && current.schema < initialSchema && System.nanoTime() - lastResetNanos >= resetNanos;
        if (!restart) {
            for (int attempt = 0; attempt < READS_IN_PLACE; attempt++) {
                long started = current.started.sum();
                Snapshot snapshot = current.read(false);
                // The buckets and the sum were read after started and before it again: see the class comment.
                if (snapshot.nativeBuckets.count() + current.abandoned == started && current.started.sum() == started) {
                    return snapshot;
                }
            }
        }
        Window next;
        if (restart) {
            next = new Window(initialSchema);
        } else if (spare != null && spare.schema == current.schema) {
            next = spare;
            next.takeBucketsOf(current);
        } else {
            next = current.coarsened(current.schema);
        }
        spare = null;
        Window old = swapTo(next);
        Snapshot snapshot = old.read(restart);
        if (restart) {
            lastResetNanos = System.nanoTime();
        } else {
            old.carryOverTo(next);
            old.empty();
            spare = old;
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

    /**
     * The native buckets at one schema and the sum of the observations counted while it was hot (or carried over).
     * Each side keeps its buckets twice: by ascending index, for the scrape and the reductions (under the lock), and
     * in a ring of slots for the observers, an open-addressing table (a bucket in the first free slot from its index
     * modulo the length) at most half full, so that a lookup is nearly always one slot. The ring is made with the
     * side's first bucket, 8 slots, and doubled as the side fills it; it is replaced whole, never changed, so
     * observers read it without a lock.
     */
    private final class Window {
        final int schema;
        final LongAdder started = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();
        /** Observers that found the window no longer hot or their bucket missing: rare, so one word, not striped. */
        volatile long abandoned;
        /** Null until the first observation in the zero bucket. */
        volatile Bucket zero;
        /** The rings; null until the side's first bucket. */
        volatile Bucket[] positive;
        volatile Bucket[] negative;
        /** Guarded by the lock of the counts: each side's buckets by ascending index. */
        Bucket[] positiveSorted = NO_BUCKETS;
        Bucket[] negativeSorted = NO_BUCKETS;

        Window(int schema) {
            this.schema = schema;
        }

        void abandon() {
            ABANDONED.getAndAdd(this, 1L);
        }

        /** The counter of the value's classic bucket within its native (or zero) bucket, or null if that native bucket must be added first. */
        LongAdder counter(double value) {
            double magnitude = Math.abs(value);
            if (magnitude <= zeroThreshold) {
                Bucket z = zero;
                return z == null ? null : z.part(value, classicUpperBounds);
            }
            Bucket[] ring = value > 0 ? positive : negative;
            if (ring == null) {
                return null;
            }
            Bucket bucket = lookup(ring, NativeBucketIndex.of(magnitude, schema));
            return bucket == null ? null : bucket.part(value, classicUpperBounds);
        }

        /** The observations counted to the end here, and the observers that found the window no longer hot. */
        long done() {
            return abandoned + count();
        }

        long count() {
            Bucket z = zero;
            long n = z == null ? 0 : z.total();
            for (Bucket b : positiveSorted) {
                n += b.total();
            }
            for (Bucket b : negativeSorted) {
                n += b.total();
            }
            return n;
        }

        int used() {
            return positiveSorted.length + negativeSorted.length;
        }

        /** Under the lock: the bucket of this index, or null. */
        Bucket find(boolean negative, int index) {
            Bucket[] ring = negative ? this.negative : positive;
            return ring == null ? null : lookup(ring, index);
        }

        /** Under the lock, for an index not in place: adds its bucket. */
        void add(boolean negative, int index) {
            int[] classicRange = overlappedClassicBuckets(classicUpperBounds, schema, index, negative);
            Bucket bucket = new Bucket(index, classicRange[0], classicRange[1]);
            Bucket[] sorted = negative ? negativeSorted : positiveSorted;
            int at = 0;
            while (at < sorted.length && sorted[at].index < index) {
                at++;
            }
            Bucket[] grown = new Bucket[sorted.length + 1];
            System.arraycopy(sorted, 0, grown, 0, at);
            grown[at] = bucket;
            System.arraycopy(sorted, at, grown, at + 1, sorted.length - at);
            setBuckets(negative, grown);
        }

        /** Under the lock: makes these the side's buckets, in a new ring at most half full. */
        private void setBuckets(boolean negative, Bucket[] sorted) {
            Bucket[] old = negative ? this.negative : positive;
            int slots = old == null ? FIRST_SLOTS : old.length;
            while (sorted.length * 2 > slots) {
                slots *= 2;
            }
            Bucket[] ring = new Bucket[slots];
            for (Bucket b : sorted) {
                int slot = b.index & (slots - 1);
                while (ring[slot] != null) {
                    slot = (slot + 1) & (slots - 1);
                }
                ring[slot] = b;
            }
            if (negative) {
                negativeSorted = sorted;
                this.negative = ring;
            } else {
                positiveSorted = sorted;
                positive = ring;
            }
        }

        /**
         * Under the lock, for the spare window at the hot one's schema: adds the buckets the hot one gained since
         * this one was hot, so that it holds the same ones, ready for the hot one's counts.
         */
        void takeBucketsOf(Window hot) {
            if (hot.zero != null && zero == null) {
                zero = newZeroBucket();
            }
            for (Bucket b : hot.positiveSorted) {
                if (find(false, b.index) == null) {
                    add(false, b.index);
                }
            }
            for (Bucket b : hot.negativeSorted) {
                if (find(true, b.index) == null) {
                    add(true, b.index);
                }
            }
        }

        /**
         * Under the lock, once this window is quiescent, read and carried over: its buckets and sum start again
         * from zero, so that it can be hot again. Nothing else writes to them: an observer counts only into the hot
         * window, and a late one that still finds this window adds only to {@code started} and {@code abandoned},
         * which are therefore never reset; the observations emptied out count as abandoned instead, so that
         * "done" stays equal to {@code started}.
         */
        void empty() {
            long emptied = count();
            if (zero != null) {
                zero.clear();
            }
            for (Bucket b : positiveSorted) {
                b.clear();
            }
            for (Bucket b : negativeSorted) {
                b.clear();
            }
            sum.reset();
            ABANDONED.getAndAdd(this, emptied);
        }

        /** A new, empty window at this schema or a coarser one with every bucket of this one already in place. */
        Window coarsened(int target) {
            Window coarser = new Window(target);
            if (zero != null) {
                coarser.zero = newZeroBucket();
            }
            coarser.addIndexes(positiveSorted, false, schema);
            coarser.addIndexes(negativeSorted, true, schema);
            return coarser;
        }

        /** Coarsening keeps the order of the indexes, so equal ones (merged buckets) are neighbours. */
        private void addIndexes(Bucket[] from, boolean negative, int fromSchema) {
            if (from.length == 0) {
                return;
            }
            Bucket[] buckets = new Bucket[from.length];
            int n = 0;
            for (Bucket b : from) {
                int index = NativeBucketIndex.coarsen(b.index, fromSchema, schema);
                if (n == 0 || buckets[n - 1].index != index) {
                    int[] classicRange = overlappedClassicBuckets(classicUpperBounds, schema, index, negative);
                    buckets[n++] = new Bucket(index, classicRange[0], classicRange[1]);
                }
            }
            setBuckets(negative, Arrays.copyOf(buckets, n));
        }

        /**
         * Adds this quiescent window's counts to the hot one, whose buckets are all in place. The observations are
         * registered as started first, so that "done" never passes started there.
         */
        void carryOverTo(Window into) {
            into.started.add(count());
            into.sum.add(sum.sum());
            if (zero != null) {
                zero.addTo(into.zero);
            }
            for (Bucket b : positiveSorted) {
                b.addTo(into.find(false, NativeBucketIndex.coarsen(b.index, schema, into.schema)));
            }
            for (Bucket b : negativeSorted) {
                b.addTo(into.find(true, NativeBucketIndex.coarsen(b.index, schema, into.schema)));
            }
        }

        /**
         * The counts, the classic ones added up from the buckets' parts, and then the sum. A bucket is counted in the
         * moment its first observation adds it, under the lock of the counts, so none is empty, as the model wants.
         */
        Snapshot read(boolean restarted) {
            long[] classicCounts = new long[classic ? classicUpperBounds.length : 0];
            Bucket z = zero;
            long zeroCount = z == null ? 0 : z.read(classicCounts);
            int[] positiveIndexes = indexes(positiveSorted);
            long[] positiveCounts = counts(positiveSorted, classicCounts);
            int[] negativeIndexes = indexes(negativeSorted);
            long[] negativeCounts = counts(negativeSorted, classicCounts);
            NativeBuckets buckets = new NativeBuckets(schema, zeroThreshold, zeroCount, positiveIndexes, positiveCounts,
                    negativeIndexes, negativeCounts);
            return new Snapshot(classicCounts, sum.sum(), buckets, restarted);
        }

        /** Whether the buckets at a coarser schema, with the value's one, stay within the limit. */
        boolean fits(int target, double value) {
            return coarsenedCount(positiveSorted, target, value > 0 ? value : Double.NaN)
                    + coarsenedCount(negativeSorted, target, value < 0 ? value : Double.NaN) <= maxBuckets;
        }

        /** The buckets of one side at the target schema, with the bucket of {@code extra} unless it is NaN. */
        private int coarsenedCount(Bucket[] sorted, int target, double extra) {
            boolean extraFound = Double.isNaN(extra);
            int extraIndex = extraFound ? 0 : NativeBucketIndex.of(Math.abs(extra), target);
            int n = 0;
            int last = 0;
            for (Bucket b : sorted) {
                int index = NativeBucketIndex.coarsen(b.index, schema, target);
                if (n == 0 || index != last) {
                    n++;
                    last = index;
                }
                extraFound |= index == extraIndex;
            }
            return extraFound ? n : n + 1;
        }
    }

    /** The bucket of this index in a ring, or null: the first slot from the index on that holds it or is free. */
    private static Bucket lookup(Bucket[] ring, int index) {
        int mask = ring.length - 1;
        for (int slot = index & mask; ; slot = (slot + 1) & mask) {
            Bucket bucket = ring[slot];
            if (bucket == null || bucket.index == index) {
                return bucket;
            }
        }
    }

    private static int[] indexes(Bucket[] sorted) {
        int[] indexes = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            indexes[i] = sorted[i].index;
        }
        return indexes;
    }

    /** The counts of these buckets, each part also added to its classic bucket's count. */
    private static long[] counts(Bucket[] sorted, long[] classicCounts) {
        long[] counts = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            counts[i] = sorted[i].read(classicCounts);
        }
        return counts;
    }

    /**
     * A native bucket: its index, and a counter for each classic bucket it overlaps. It is itself the counter of the
     * first one, which is the only one for most buckets, so that a bucket costs one object.
     */
    @SuppressWarnings("serial")
    private static final class Bucket extends LongAdder {
        final int index;
        /** The classic bucket this bucket itself counts; {@code further} count the ones after it. */
        final int firstClassic;
        /** Null if the bucket lies in one classic bucket. */
        final LongAdder[] further;

        Bucket(int index, int firstClassic, int lastClassic) {
            this.index = index;
            this.firstClassic = firstClassic;
            if (lastClassic == firstClassic) {
                this.further = null;
            } else {
                this.further = new LongAdder[lastClassic - firstClassic];
                for (int i = 0; i < further.length; i++) {
                    further[i] = new LongAdder();
                }
            }
        }

        /** The counter of a classic bucket this one overlaps. */
        LongAdder part(int classicIndex) {
            return classicIndex == firstClassic ? this : further[classicIndex - firstClassic - 1];
        }

        /** The counter of the classic bucket of a value in this bucket. */
        LongAdder part(double value, double[] classicUpperBounds) {
            return further == null ? this : part(classicIndexFrom(classicUpperBounds, firstClassic, value));
        }

        int parts() {
            return further == null ? 1 : further.length + 1;
        }

        /** Only while no observer can write to it. */
        void clear() {
            reset();
            if (further != null) {
                for (LongAdder part : further) {
                    part.reset();
                }
            }
        }

        long total() {
            long n = sum();
            if (further != null) {
                for (LongAdder part : further) {
                    n += part.sum();
                }
            }
            return n;
        }

        /** Adds the counts to a bucket at this schema or a coarser one, which covers at least the same classic buckets. */
        void addTo(Bucket into) {
            for (int i = 0; i < parts(); i++) {
                long n = part(firstClassic + i).sum();
                if (n > 0) {
                    into.part(firstClassic + i).add(n);
                }
            }
        }

        /** Its count, each part also added to its classic bucket's count unless there are no classic buckets. */
        long read(long[] classicCounts) {
            if (classicCounts.length == 0) {
                return total();
            }
            long n = 0;
            for (int i = 0; i < parts(); i++) {
                long c = part(firstClassic + i).sum();
                classicCounts[firstClassic + i] += c;
                n += c;
            }
            return n;
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
