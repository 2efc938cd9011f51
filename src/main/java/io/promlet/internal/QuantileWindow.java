package io.promlet.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Quantiles of the values observed over a sliding time window, each within {@link LogBuckets#RELATIVE_ACCURACY}
 * (under 0.5%) of the exact quantile.
 *
 * <p><b>Exact quantile.</b> For the {@code n} values of the window sorted ascending, {@code x_1 <= ... <= x_n},
 * the q-quantile is {@code x_r} with rank {@code r = max(1, ceil(q·n))} (nearest rank).
 *
 * <p><b>Estimate.</b> Every value is counted in its {@link LogBuckets} bucket. The buckets are ordered like the
 * values, so walking the merged counts in index order finds the bucket holding exactly the r-th smallest value;
 * its representative is within the relative accuracy of every value in it, {@code x_r} included. Values whose
 * magnitude lies outside about {@code [1.5e-11, 4.5e15)} are clamped into the outermost buckets and lose that
 * guarantee (see {@link LogBuckets}).
 *
 * <p><b>Window.</b> The window is a ring of age buckets, each collecting one period of {@code maxAge / ageBuckets};
 * a query merges the live ones, so it covers between {@code maxAge - period} and {@code maxAge} of history. There
 * is no background thread: an observation that finds the current age bucket's period over installs a fresh one
 * in place of the expired bucket in its slot, and a query ignores and drops age buckets whose period left the window.
 *
 * <p><b>Cost.</b> {@link #observe} is lock-free and allocation-free once the buckets it hits exist: a clock read,
 * a bit-twiddled index and one atomic increment, plus, the first time a bucket gets a value in its period, one
 * atomic bit set. Counts live in chunks of {@value #CHUNK} allocated the first time a value falls in them (0.5 KB
 * each), behind a directory of about 0.8 KB per live age bucket; values spread over one decade touch 4 or 5 chunks.
 * A window nobody observed into for {@code maxAge} holds nothing once queried. An age bucket that threads observe
 * into at the same moment counts in one set of chunks per stripe of threads from then on, so that cores do not
 * fight over the same cache lines; a query reads them all.
 */
public final class QuantileWindow {
    private static final int CHUNK_BITS = 6;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNKS = (LogBuckets.COUNT + CHUNK - 1) >>> CHUNK_BITS;
    /**
     * A chunk's first slot, before its counts: a bit for each of its buckets that holds a value, so that a query reads
     * only those counts. A window of a few observations per period over several decades, as most children of a
     * labelled summary see, has one or two counts in a chunk of {@value #CHUNK}. Next to the array's header, it costs
     * a query no memory access of its own.
     */
    private static final int OCCUPIED = 0;
    /**
     * Chunks and their directory are plain arrays accessed atomically, not {@code AtomicLongArray}s: a scrape of
     * thousands of summaries waits mostly on memory, and each wrapper object would be one more access per chunk.
     */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle DIRECTORY = MethodHandles.arrayElementVarHandle(long[][].class);

    private final LongSupplier nanoClock;
    private final long origin;
    private final long periodNanos;
    private final AtomicReferenceArray<AgeBucket> ring;
    private volatile AgeBucket current;

    /**
     * @param maxAgeNanos how long an observation counts, at most
     * @param ageBuckets  how many steps the window moves in; more is smoother and costs more memory
     * @param nanoClock   the time in nanoseconds, {@code System::nanoTime} outside tests
     */
    public QuantileWindow(long maxAgeNanos, int ageBuckets, LongSupplier nanoClock) {
        if (ageBuckets <= 0 || maxAgeNanos < ageBuckets) {
            throw new IllegalArgumentException("window of " + maxAgeNanos + " ns in " + ageBuckets + " age buckets");
        }
        this.nanoClock = nanoClock;
        this.origin = nanoClock.getAsLong();
        this.periodNanos = maxAgeNanos / ageBuckets;
        this.ring = new AtomicReferenceArray<>(ageBuckets);
    }

    /** Counts a value, which must not be NaN, in the current age bucket. */
    public void observe(double value) {
        long now = nanoClock.getAsLong();
        AgeBucket bucket = current;
        if (bucket == null || now - bucket.end >= 0) {
            bucket = rotate(now);
        }
        bucket.add(LogBuckets.index(value), now);
    }

    /**
     * The estimates of these quantiles, in the order given; NaN for each when the window is empty.
     *
     * <p>The live age buckets are read in place, not merged into a copy, so a scrape of many summaries
     * allocates almost nothing: a first pass sums each chunk over them, from the lowest allocated one to the
     * highest, and a second skips whole chunks below the next rank, reading single counts only in the chunks
     * that hold a rank. Both read only the counts of occupied buckets. Counts and occupied bits only grow, so the
     * second pass reaches every rank computed from the first.
     *
     * @param quantiles ranks in (0, 1), ascending
     */
    public double[] quantiles(double[] quantiles) {
        Counts[] live = liveCounts();
        double[] values = new double[quantiles.length];
        int first = CHUNKS;
        int last = -1;
        for (Counts counts : live) {
            first = Math.min(first, (int) Counts.FIRST_CHUNK.getVolatile(counts));
            last = Math.max(last, (int) Counts.LAST_CHUNK.getVolatile(counts));
        }
        // The count of each chunk index from first to last, over the live age buckets.
        long[] chunkCounts = new long[Math.max(0, last - first + 1)];
        long total = 0;
        for (int k = 0; k < chunkCounts.length; k++) {
            for (Counts counts : live) {
                long[] chunk = counts.chunk(first + k);
                if (chunk != null) {
                    chunkCounts[k] += sum(chunk);
                }
            }
            total += chunkCounts[k];
        }
        if (total == 0) {
            Arrays.fill(values, Double.NaN);
            return values;
        }
        long[] ranks = new long[quantiles.length];
        for (int k = 0; k < ranks.length; k++) {
            ranks[k] = rank(quantiles[k], total);
        }
        long[][] row = new long[live.length][];
        int next = 0;
        long seen = 0;
        for (int k = 0; k < chunkCounts.length; k++) {
            if (seen + chunkCounts[k] < ranks[next]) {
                seen += chunkCounts[k];
                continue;
            }
            // The next rank lies in this chunk: find its bucket, and those of any further ranks in it.
            int c = first + k;
            int n = 0;
            long occupied = 0;
            for (Counts counts : live) {
                long[] chunk = counts.chunk(c);
                if (chunk != null) {
                    row[n++] = chunk;
                    occupied |= (long) SLOT.getVolatile(chunk, OCCUPIED);
                }
            }
            for (; occupied != 0; occupied &= occupied - 1) {
                int i = Long.numberOfTrailingZeros(occupied);
                for (int a = 0; a < n; a++) {
                    seen += (long) SLOT.getVolatile(row[a], 1 + i);
                }
                while (seen >= ranks[next]) {
                    values[next++] = LogBuckets.value((c << CHUNK_BITS) + i);
                    if (next == ranks.length) {
                        return values;
                    }
                }
            }
        }
        throw new AssertionError("counts shrank while reading them: rank " + ranks[next] + " of " + total);
    }

    private static long sum(long[] chunk) {
        long sum = 0;
        for (long occupied = (long) SLOT.getVolatile(chunk, OCCUPIED); occupied != 0; occupied &= occupied - 1) {
            sum += (long) SLOT.getVolatile(chunk, 1 + Long.numberOfTrailingZeros(occupied));
        }
        return sum;
    }

    /** The nearest rank of a quantile among n values, 1-based. */
    private static long rank(double quantile, long n) {
        return Math.max(1, (long) Math.ceil(quantile * n));
    }

    /** The counts of the age buckets still in the window: one per bucket, or each stripe's of a striped one. */
    private Counts[] liveCounts() {
        AgeBucket[] buckets = liveBuckets();
        Counts[][] stripes = new Counts[buckets.length][];
        int length = 0;
        for (int b = 0; b < buckets.length; b++) {
            stripes[b] = buckets[b].stripes();
            length += stripes[b].length;
        }
        Counts[] live = new Counts[length];
        int n = 0;
        for (Counts[] counts : stripes) {
            System.arraycopy(counts, 0, live, n, counts.length);
            n += counts.length;
        }
        return live;
    }

    /**
     * The age buckets still in the window. Expired ones are dropped on the way, so a child that stopped
     * observing gives its memory back.
     */
    private AgeBucket[] liveBuckets() {
        long oldestLive = Math.floorDiv(nanoClock.getAsLong() - origin, periodNanos) - ring.length() + 1;
        AgeBucket latest = current;
        if (latest != null && latest.period < oldestLive) {
            // Harmless if an observer just installed a newer one: the next observation finds it in the ring again.
            current = null;
        }
        AgeBucket[] live = new AgeBucket[ring.length()];
        int n = 0;
        for (int a = 0; a < ring.length(); a++) {
            AgeBucket bucket = ring.get(a);
            if (bucket == null) {
                continue;
            }
            if (bucket.period < oldestLive) {
                ring.compareAndSet(a, bucket, null);
                continue;
            }
            live[n++] = bucket;
        }
        return n == live.length ? live : Arrays.copyOf(live, n);
    }

    /**
     * The age bucket for the period of {@code now}, installed in the ring unless another thread just did. It
     * replaces the one at least a full window older in the same slot.
     */
    private AgeBucket rotate(long now) {
        long period = Math.floorDiv(now - origin, periodNanos);
        int slot = (int) Math.floorMod(period, (long) ring.length());
        AgeBucket bucket = ring.get(slot);
        if (bucket == null || bucket.period < period) {
            AgeBucket fresh = new AgeBucket(period, origin + (period + 1) * periodNanos);
            AgeBucket witness = ring.compareAndExchange(slot, bucket, fresh);
            if (witness == null && bucket != null) {
                // A query dropped the expired bucket meanwhile; try once more from the empty slot.
                bucket = null;
                witness = ring.compareAndExchange(slot, null, fresh);
            }
            // Losing to another observer leaves its bucket as the witness, never null: use that one.
            bucket = witness == bucket ? fresh : witness;
        }
        current = bucket;
        return bucket;
    }

    /**
     * One period of the window: its counts, and once threads observe into it at the same moment, more counts, one
     * set per stripe of threads. Two cores adding to the same chunks move their cache lines back and forth on nearly
     * every observation, so two threads would observe slower than one; striping gives each core its own lines. Only a
     * bucket that sees it pays for it, which no labelled child observed at a request's pace does.
     */
    private static final class AgeBucket {
        /** Stripes once contended: as many as processors, rounded up to a power of two, as {@code LongAdder} does. */
        private static final int STRIPES = Math.max(2, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1));
        /** Another thread took over within this time of the last change of writer: the bucket is contended. */
        private static final long QUICK_SWITCH_NANOS = 1_000;
        /** So many quick switches in a row stripe the bucket: threads alternate, they did not just meet once. */
        private static final int QUICK_SWITCHES = 64;

        final long period;
        /** When the next period starts, in clock nanoseconds. */
        final long end;
        /** The counts of each stripe of threads: one set until the bucket is contended. */
        private volatile Counts[] stripes = {new Counts()};
        // Read and written without synchronisation on purpose: a lost update only delays the striping.
        private long writer = -1;
        private long switchedAt;
        private int quickSwitches;

        AgeBucket(long period, long end) {
            this.period = period;
            this.end = end;
        }

        void add(int index, long now) {
            long thread = Thread.currentThread().getId();
            Counts[] striped = stripes;
            striped[(int) thread & (striped.length - 1)].add(index);
            if (striped.length == 1 && thread != writer) {
                quickSwitches = now - switchedAt < QUICK_SWITCH_NANOS ? quickSwitches + 1 : 0;
                writer = thread;
                switchedAt = now;
                if (quickSwitches == QUICK_SWITCHES) {
                    stripe();
                }
            }
        }

        private synchronized void stripe() {
            Counts[] striped = stripes;
            if (striped.length == 1) {
                Counts[] more = Arrays.copyOf(striped, STRIPES);
                for (int i = 1; i < more.length; i++) {
                    more[i] = new Counts();
                }
                stripes = more;
            }
        }

        Counts[] stripes() {
            return stripes;
        }
    }

    /**
     * Counts by bucket index, in chunks allocated on first use. A bucket's occupied bit is set just after its first
     * count, by the observer that made it; a query in between misses that bucket's counts, as if it had come just
     * before.
     */
    private static final class Counts {
        static final VarHandle FIRST_CHUNK;
        static final VarHandle LAST_CHUNK;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                FIRST_CHUNK = lookup.findVarHandle(Counts.class, "firstChunk", int.class);
                LAST_CHUNK = lookup.findVarHandle(Counts.class, "lastChunk", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Each chunk: its occupied bits, then its {@value #CHUNK} counts. */
        final long[][] chunks = new long[CHUNKS][];
        /**
         * The lowest and highest index of an allocated chunk, so that a query reads only that stretch of the
         * directory: values usually span a few decades, a small part of it. Widened just after the chunk is
         * installed; a query in between misses the counts of that moment, as if it had come just before.
         */
        private int firstChunk = CHUNKS;
        private int lastChunk = -1;

        long[] chunk(int c) {
            return (long[]) DIRECTORY.getAcquire(chunks, c);
        }

        void add(int index) {
            int c = index >>> CHUNK_BITS;
            long[] chunk = chunk(c);
            if (chunk == null) {
                long[] fresh = new long[1 + CHUNK];
                long[] witness = (long[]) DIRECTORY.compareAndExchange(chunks, c, null, fresh);
                chunk = witness == null ? fresh : witness;
                widenTo(c);
            }
            int i = index & (CHUNK - 1);
            if ((long) SLOT.getAndAdd(chunk, 1 + i, 1L) == 0) {
                SLOT.getAndBitwiseOr(chunk, OCCUPIED, 1L << i);
            }
        }

        /** Moves the bounds of the allocated chunks out to chunk c, if it lies outside them. */
        private void widenTo(int c) {
            int first = (int) FIRST_CHUNK.getVolatile(this);
            while (c < first && !FIRST_CHUNK.compareAndSet(this, first, c)) {
                first = (int) FIRST_CHUNK.getVolatile(this);
            }
            int last = (int) LAST_CHUNK.getVolatile(this);
            while (c > last && !LAST_CHUNK.compareAndSet(this, last, c)) {
                last = (int) LAST_CHUNK.getVolatile(this);
            }
        }
    }
}
