package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.CollectorRegistry;

import java.util.List;

/**
 * The standard JVM and process metrics: {@code process_*} (CPU time, start time, file descriptors, memory),
 * {@code jvm_memory_*}, {@code jvm_memory_pool_*}, {@code jvm_buffer_pool_*}, {@code jvm_threads_*},
 * {@code jvm_classes_*}, {@code jvm_gc_collection_seconds} and {@code jvm_info}. Every value is read at scrape
 * time; a value the platform does not offer (no {@code /proc}, no file descriptor count) is left out.
 *
 * <p>{@link CollectorRegistry#defaultRegistry()} carries them from the start. Turn them off with
 * {@link #unregisterFrom(CollectorRegistry)}; add them to a registry of your own with {@link #register(CollectorRegistry)}:
 *
 * <pre>{@code
 * JvmMetrics.unregisterFrom(CollectorRegistry.defaultRegistry());   // no JVM metrics on /metrics
 *
 * CollectorRegistry registry = new CollectorRegistry();             // starts empty
 * JvmMetrics.register(registry);
 * }</pre>
 *
 * <p>They are several collectors, so a scrape that asks for some names with {@code name[]} reads only
 * the MXBeans it needs: the thread-state count, which visits every thread, runs only when asked for.
 */
public final class JvmMetrics {
    // Stateless collectors over the platform MXBeans: sharing them between registries is safe.
    private static final List<Collector> COLLECTORS = List.of(
            new ProcessMetrics(),
            new MemoryMetrics(),
            new BufferPoolMetrics(),
            new ThreadMetrics(),
            new ClassLoadingMetrics(),
            new GarbageCollectorMetrics(),
            new JvmInfo());

    private JvmMetrics() {
    }

    /**
     * Adds the JVM and process metrics to a registry: all of them or, if one clashes, none.
     *
     * @throws IllegalArgumentException if the registry has them already, or has a metric of the same name
     */
    public static void register(CollectorRegistry registry) {
        registry.registerAll(COLLECTORS);
    }

    /** Removes the JVM and process metrics from a registry; does nothing if it does not have them. */
    public static void unregisterFrom(CollectorRegistry registry) {
        COLLECTORS.forEach(registry::unregister);
    }
}
