package io.promlet.internal;

/**
 * A mode that keeps values outside this process, found with {@link java.util.ServiceLoader} so that the engine
 * never names it (the multi-process mode is the one promlet has). Implementations need a public no-argument
 * constructor.
 */
public interface SharedStoreProvider {
    /**
     * The shared store that this process's configuration asks for (a system property, an environment
     * variable), or null if it asks for none.
     *
     * @throws IllegalArgumentException if the configuration names something unusable, saying what
     */
    ValueStore openConfigured();
}
