package io.promlet.multiprocess;

import io.promlet.model.FloatFormat;
import io.promlet.model.NativeBuckets;

/**
 * How a histogram's native bucket counts are keyed in the files: each part of a native bucket that lies in one
 * classic bucket is a value of the sample {@code <family>_native}, which no instrument writes otherwise, with the
 * child's labels and, in the histogram's reserved {@code le} label (no histogram may have one of its own), all a
 * scrape needs to merge and show it:
 *
 * <pre>
 * bucket=positive:-12 le=0.1 schema=5 zero_threshold=2.938735877055719E-39 max_buckets=160
 * bucket=zero le=+Inf schema=5 zero_threshold=2.938735877055719E-39 max_buckets=160
 * </pre>
 *
 * <p>The bucket is {@code zero}, or the side ({@code positive}, {@code negative}) and its index at the schema; {@code
 * le} is the classic bucket the part lies in, as the classic {@code _bucket} samples write it. Equal keys from several
 * processes add up; keys that differ only in their settings are reconciled at scrape ({@code NativeBucketTally}).
 * Older promlet versions leave these samples out of their scrapes.
 */
final class NativeBucketKey {
    private static final String[] FIELDS = {"bucket=", "le=", "schema=", "zero_threshold=", "max_buckets="};

    /** True for the zero bucket; then {@link #negative} and {@link #index} mean nothing. */
    final boolean zero;
    final boolean negative;
    final int index;
    /** The upper bound of the classic bucket the part lies in. */
    final double classicUpperBound;
    final int schema;
    final double zeroThreshold;
    final int maxBuckets;

    NativeBucketKey(boolean zero, boolean negative, int index, double classicUpperBound, int schema, double zeroThreshold,
                    int maxBuckets) {
        this.zero = zero;
        this.negative = negative;
        this.index = index;
        this.classicUpperBound = classicUpperBound;
        this.schema = schema;
        this.zeroThreshold = zeroThreshold;
        this.maxBuckets = maxBuckets;
    }

    /** The sample name of a histogram family's native bucket counts. */
    static String sampleName(String family) {
        return family + "_native";
    }

    /** The value of the {@code le} label that keys this part. */
    String encode() {
        String bucket = zero ? "zero" : (negative ? "negative:" : "positive:") + index;
        return FIELDS[0] + bucket + " " + FIELDS[1] + FloatFormat.format(classicUpperBound) + " " + FIELDS[2] + schema + " "
                + FIELDS[3] + zeroThreshold + " " + FIELDS[4] + maxBuckets;
    }

    /**
     * The part an {@code le} label value keys.
     *
     * @throws IllegalArgumentException if the value is not one that {@link #encode} writes, saying what is wrong
     */
    static NativeBucketKey decode(String le) {
        String[] fields = le.split(" ", -1);
        if (fields.length != FIELDS.length) {
            throw new IllegalArgumentException("a native bucket key has " + fields.length + " fields: " + le);
        }
        for (int i = 0; i < FIELDS.length; i++) {
            if (!fields[i].startsWith(FIELDS[i])) {
                throw new IllegalArgumentException("a native bucket key lacks " + FIELDS[i] + ": " + le);
            }
            fields[i] = fields[i].substring(FIELDS[i].length());
        }
        try {
            boolean zero = fields[0].equals("zero");
            boolean negative = fields[0].startsWith("negative:");
            if (!zero && !negative && !fields[0].startsWith("positive:")) {
                throw new IllegalArgumentException("a native bucket key has the bucket " + fields[0]);
            }
            int index = zero ? 0 : Integer.parseInt(fields[0].substring(fields[0].indexOf(':') + 1));
            double classicUpperBound = fields[1].equals("+Inf") ? Double.POSITIVE_INFINITY
                    : fields[1].equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(fields[1]);
            int schema = Integer.parseInt(fields[2]);
            double zeroThreshold = Double.parseDouble(fields[3]);
            int maxBuckets = Integer.parseInt(fields[4]);
            if (schema < NativeBuckets.MIN_SCHEMA || schema > NativeBuckets.MAX_SCHEMA || !(zeroThreshold >= 0)
                    || Double.isInfinite(zeroThreshold) || maxBuckets < 1 || Double.isNaN(classicUpperBound)) {
                throw new IllegalArgumentException("a native bucket key has settings out of range: " + le);
            }
            return new NativeBucketKey(zero, negative, index, classicUpperBound, schema, zeroThreshold, maxBuckets);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a native bucket key has a malformed number: " + le, e);
        }
    }
}
