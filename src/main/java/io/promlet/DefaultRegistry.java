package io.promlet;

import io.promlet.jvm.JvmMetrics;

/**
 * Holds the default registry, created on first use with the JVM and process metrics in it, as the
 * Python client's default registry has them; {@link JvmMetrics#unregisterFrom(CollectorRegistry)} takes them out.
 */
final class DefaultRegistry {
    static final CollectorRegistry INSTANCE = withJvmMetrics();

    private DefaultRegistry() {
    }

    private static CollectorRegistry withJvmMetrics() {
        CollectorRegistry registry = new CollectorRegistry();
        JvmMetrics.register(registry);
        return registry;
    }
}
