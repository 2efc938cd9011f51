package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;

/** Heap and non-heap memory, overall ({@code jvm_memory_*{area}}) and per memory pool ({@code jvm_memory_pool_*{pool}}). */
final class MemoryMetrics implements Collector {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Override
    public List<MetricFamily> collect() {
        GaugeMetricFamily used = new GaugeMetricFamily("jvm_memory_used_bytes",
                "Used bytes of a given JVM memory area.", List.of("area"));
        GaugeMetricFamily committed = new GaugeMetricFamily("jvm_memory_committed_bytes",
                "Committed bytes of a given JVM memory area.", List.of("area"));
        GaugeMetricFamily max = new GaugeMetricFamily("jvm_memory_max_bytes",
                "Max bytes of a given JVM memory area.", List.of("area"));
        add(used, committed, max, "heap", memory.getHeapMemoryUsage());
        add(used, committed, max, "nonheap", memory.getNonHeapMemoryUsage());

        GaugeMetricFamily poolUsed = new GaugeMetricFamily("jvm_memory_pool_used_bytes",
                "Used bytes of a given JVM memory pool.", List.of("pool"));
        GaugeMetricFamily poolCommitted = new GaugeMetricFamily("jvm_memory_pool_committed_bytes",
                "Committed bytes of a given JVM memory pool.", List.of("pool"));
        GaugeMetricFamily poolMax = new GaugeMetricFamily("jvm_memory_pool_max_bytes",
                "Max bytes of a given JVM memory pool.", List.of("pool"));
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // A pool that is no longer valid reports null.
            MemoryUsage usage = pool.getUsage();
            if (usage != null) {
                add(poolUsed, poolCommitted, poolMax, pool.getName(), usage);
            }
        }
        return List.of(used, committed, max, poolUsed, poolCommitted, poolMax);
    }

    private static void add(GaugeMetricFamily used, GaugeMetricFamily committed, GaugeMetricFamily max,
                            String label, MemoryUsage usage) {
        used.addMetric(List.of(label), usage.getUsed());
        committed.addMetric(List.of(label), usage.getCommitted());
        // -1 means the maximum is undefined.
        if (usage.getMax() >= 0) {
            max.addMetric(List.of(label), usage.getMax());
        }
    }
}
