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
}
