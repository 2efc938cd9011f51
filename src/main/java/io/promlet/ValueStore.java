package io.promlet;

import io.promlet.model.Labels;

/** Makes the {@link Value}s of a metric's children. */
interface ValueStore {
    /** The in-memory store, used unless the multi-process mode is on. */
    ValueStore MEMORY = new MemoryValueStore();

    /** A value that only grows by {@link Value#add}: counts, bucket counts and sums. */
    Value counter(String metricName, String sampleName, Labels labels);

    /** A value that is also {@link Value#set}. */
    Value gauge(String metricName, String sampleName, Labels labels);

    /**
     * The store a metric makes its values with. The multi-process store returns a view that records the
     * metric's kind, help and unit with every value; it reads them when the first value is made, after the
     * metric's constructor has run.
     */
    default ValueStore forMetric(Metric<?> metric) {
        return this;
    }

    /** True if the values are shared with other processes, so a scrape reads them from files. */
    default boolean shared() {
        return false;
    }
}
