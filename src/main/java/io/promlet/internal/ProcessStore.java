package io.promlet.internal;

import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The store this process's metrics keep their values in, chosen once, when the first metric is built: a shared
 * one if a {@link SharedStoreProvider} is configured for it (or one was {@linkplain #choose chosen} before), the
 * heap otherwise. The choice is a property of the process, as the environment variable that usually makes it is.
 */
public final class ProcessStore {
    /** Guarded by the class. */
    private static ValueStore chosen;

    private ProcessStore() {
    }

    /** The process's store, chosen on the first call. */
    public static synchronized ValueStore get() {
        if (chosen == null) {
            // Chosen only once a provider answered: one that failed fails the next metric too, never falls back.
            ValueStore store = ValueStore.MEMORY;
            for (SharedStoreProvider provider : ServiceLoader.load(SharedStoreProvider.class,
                    SharedStoreProvider.class.getClassLoader())) {
                ValueStore shared = provider.openConfigured();
                if (shared != null) {
                    store = shared;
                    break;
                }
            }
            chosen = store;
        }
        return chosen;
    }

    /**
     * Makes the process's store the one {@code store} supplies, unless the choice was made already; either way
     * returns the process's store, so the caller can tell whether its choice was taken.
     */
    public static synchronized ValueStore choose(Supplier<ValueStore> store) {
        if (chosen == null) {
            chosen = store.get();
        }
        return chosen;
    }
}
