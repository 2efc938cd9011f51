package io.promlet.internal;

/**
 * Makes the values in which a shared store keeps one histogram child's native buckets at a fixed schema, one
 * value for each part of a native bucket that lies in one classic bucket (usually the whole bucket), so that
 * processes merge the counts by bucket index and a scrape derives the classic counts from the same values. Made by
 * {@link ValueStore#nativeBuckets}.
 */
public interface NativeBucketValues {
    /** The count of the zero bucket's observations that fall in classic bucket {@code classicIndex}. */
    Value zero(int classicIndex);

    /**
     * The count of native bucket {@code index} (of the negative values if {@code negative}) within classic bucket
     * {@code classicIndex}.
     */
    Value bucket(boolean negative, int index, int classicIndex);
}
