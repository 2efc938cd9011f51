package io.promlet.internal;

import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.List;

/** Makes the {@link Value}s of a metric's children. */
public interface ValueStore {
    /** The in-memory store, used unless a shared mode is on. */
    ValueStore MEMORY = new MemoryValueStore();

    /** A value that only grows by {@link Value#add}: counts, bucket counts and sums. */
    Value counter(String metricName, String sampleName, Labels labels);

    /** A value that is also {@link Value#set}. */
    Value gauge(String metricName, String sampleName, Labels labels);

    /**
     * The values in which a histogram child with native buckets counts them, if this store keeps them as values:
     * a shared store does, at the fixed schema given (its processes merge the counts by bucket index, and a scrape
     * reduces the schema). Null if the store leaves native buckets to the child's own counts in memory, which
     * reduce the schema as they observe.
     *
     * @param classicUpperBounds the classic bucket bounds, ending in {@code +Inf} (just that without classic buckets)
     * @param maxBuckets         the most native buckets a scrape shows before it reduces the schema
     */
    default NativeBucketValues nativeBuckets(String metricName, Labels labels, double[] classicUpperBounds, int schema,
                                             double zeroThreshold, int maxBuckets) {
        return null;
    }

    /**
     * The store one metric makes its values with. A shared store returns a view that records the metric's kind,
     * help and unit with every value, and refuses what its mode cannot keep.
     *
     * @throws IllegalArgumentException if the store cannot keep this metric's values, naming the metric
     */
    default ValueStore forMetric(MetricDescriptor metric) {
        return this;
    }

    /**
     * True if the values are shared with other processes: a scrape of this process's metrics then shows only
     * its own part, and {@link #collectAllProcesses()} shows what the target as a whole has.
     */
    default boolean shared() {
        return false;
    }

    /**
     * The values of every process that shares this store, merged as a scrape shows them; new families each call.
     *
     * @throws UnsupportedOperationException unless the store is {@link #shared()}
     */
    default List<MetricFamily> collectAllProcesses() {
        throw new UnsupportedOperationException("values in memory belong to this process only");
    }
}
