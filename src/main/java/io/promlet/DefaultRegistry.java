package io.promlet;

/** Holds the default registry, created on first use. */
final class DefaultRegistry {
    static final CollectorRegistry INSTANCE = new CollectorRegistry();

    private DefaultRegistry() {
    }
}
