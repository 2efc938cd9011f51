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
