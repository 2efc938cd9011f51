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
        Usage areas = new Usage("jvm_memory", "area");
        areas.add("heap", memory.getHeapMemoryUsage());
        areas.add("nonheap", memory.getNonHeapMemoryUsage());
        Usage pools = new Usage("jvm_memory_pool", "pool");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // A pool that is no longer valid reports null.
            MemoryUsage usage = pool.getUsage();
            if (usage != null) {
                pools.add(pool.getName(), usage);
            }
        }
        return List.of(areas.used, areas.committed, areas.max, pools.used, pools.committed, pools.max);
    }

    /** The used, committed and max bytes of memory areas or of memory pools, a family each, labelled by the one or the other. */
    private static final class Usage {
        final GaugeMetricFamily used;
        final GaugeMetricFamily committed;
        final GaugeMetricFamily max;

        /** @param label {@code area} or {@code pool}, the label's name and what the help text speaks of */
        Usage(String prefix, String label) {
            used = new GaugeMetricFamily(prefix + "_used_bytes", "Used bytes of a given JVM memory " + label + ".",
                    List.of(label));
            committed = new GaugeMetricFamily(prefix + "_committed_bytes",
                    "Committed bytes of a given JVM memory " + label + ".", List.of(label));
            max = new GaugeMetricFamily(prefix + "_max_bytes", "Max bytes of a given JVM memory " + label + ".",
                    List.of(label));
        }

        void add(String name, MemoryUsage usage) {
            used.addMetric(List.of(name), usage.getUsed());
            committed.addMetric(List.of(name), usage.getCommitted());
            // -1 means the maximum is undefined.
            if (usage.getMax() >= 0) {
                max.addMetric(List.of(name), usage.getMax());
            }
        }
    }
}
