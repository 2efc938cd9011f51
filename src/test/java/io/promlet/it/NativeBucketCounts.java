package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.tools.ProtobufExposition;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The native buckets of one histogram series as promlet serves them in the protobuf format, read with the independent
 * parser, and the bucket that holds a quantile: where Prometheus' {@code histogram_quantile} must answer. Only the zero
 * bucket and positive buckets, as for durations.
 *
 * @param schema        bucket {@code i} holds the values in (2^((i-1)/2^schema), 2^(i/2^schema)]
 * @param zeroThreshold the zero bucket holds the values up to it
 * @param zeroCount     the count of the zero bucket
 * @param positive      bucket index to count, without empty buckets
 */
record NativeBucketCounts(int schema, double zeroThreshold, long zeroCount, NavigableMap<Integer, Long> positive) {

    /** The buckets of a scraped histogram, which must have no negative ones. */
    static NativeBucketCounts of(Metrics.Histogram histogram) {
        assertEquals(0, histogram.getNegativeSpanCount(), "negative buckets");
        return new NativeBucketCounts(histogram.getSchema(), histogram.getZeroThreshold(), histogram.getZeroCount(),
                new TreeMap<>(ProtobufExposition.nativeBuckets(histogram.getPositiveSpanList(),
                        histogram.getPositiveDeltaList())));
    }

    /** This series and another added up as Prometheus' {@code sum()} adds them: at the coarser of the two schemas. */
    NativeBucketCounts plus(NativeBucketCounts other) {
        assertEquals(zeroThreshold, other.zeroThreshold, "zero thresholds");
        int coarser = Math.min(schema, other.schema);
        NavigableMap<Integer, Long> sum = reducedTo(coarser);
        other.reducedTo(coarser).forEach((index, count) -> sum.merge(index, count, Long::sum));
        return new NativeBucketCounts(coarser, zeroThreshold, zeroCount + other.zeroCount, sum);
    }

    /**
     * The bounds {lower, upper} of the bucket that Prometheus 2.42 interpolates in for quantile {@code q}: the first,
     * from the zero bucket up, whose cumulative count reaches q times the total. It holds the observation of rank
     * ceil(q n).
     */
    double[] bucketOf(double q) {
        long total = zeroCount + positive.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(total > 0, "no observations");
        double rank = q * total;
        if (zeroCount >= rank) {
            // With no negative buckets, Prometheus takes 0 as the zero bucket's lower bound.
            return new double[] {0, zeroThreshold};
        }
        long cumulative = zeroCount;
        for (Map.Entry<Integer, Long> bucket : positive.entrySet()) {
            cumulative += bucket.getValue();
            if (cumulative >= rank) {
                return new double[] {bound(bucket.getKey() - 1), bound(bucket.getKey())};
            }
        }
        throw new AssertionError("no bucket reaches rank " + rank + " of " + total);
    }

    private NavigableMap<Integer, Long> reducedTo(int coarser) {
        NavigableMap<Integer, Long> reduced = new TreeMap<>();
        int shift = schema - coarser;
        // Each coarser bucket is 2^shift neighbours merged: bucket i goes to ceil(i / 2^shift).
        positive.forEach((index, count) -> reduced.merge(((index - 1) >> shift) + 1, count, Long::sum));
        return reduced;
    }

    private double bound(int index) {
        return Math.pow(2, Math.scalb((double) index, -schema));
    }
}
