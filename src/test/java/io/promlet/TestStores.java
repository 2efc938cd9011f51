package io.promlet;

import io.promlet.internal.ValueStore;

/** Lets tests outside this package build metrics on a store of their choice, as the package-private builder method does. */
public final class TestStores {
    private TestStores() {
    }

    /** The builder, set to make its values in this store. */
    public static <B extends Metric.Builder<B, M>, M extends Metric<?>> B valueStore(B builder, ValueStore store) {
        return builder.valueStore(store);
    }
}
