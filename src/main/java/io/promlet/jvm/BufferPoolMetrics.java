package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** The JVM's buffer pools ({@code direct}, {@code mapped}): bytes used, capacity and number of buffers. */
final class BufferPoolMetrics implements Collector {
    private final List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);

    @Override
    public List<MetricFamily> collect() {
        GaugeMetricFamily used = new GaugeMetricFamily("jvm_buffer_pool_used_bytes",
                "Used bytes of a given JVM buffer pool.", List.of("pool"));
        GaugeMetricFamily capacity = new GaugeMetricFamily("jvm_buffer_pool_capacity_bytes",
                "Bytes capacity of a given JVM buffer pool.", List.of("pool"));
        GaugeMetricFamily buffers = new GaugeMetricFamily("jvm_buffer_pool_used_buffers",
                "Used buffers of a given JVM buffer pool.", List.of("pool"));
        for (BufferPoolMXBean pool : pools) {
            List<String> name = List.of(pool.getName());
            // Each value is -1 when the JVM cannot tell.
            if (pool.getMemoryUsed() >= 0) {
                used.addMetric(name, pool.getMemoryUsed());
            }
            if (pool.getTotalCapacity() >= 0) {
                capacity.addMetric(name, pool.getTotalCapacity());
            }
            if (pool.getCount() >= 0) {
                buffers.addMetric(name, pool.getCount());
            }
        }
        return List.of(used, capacity, buffers);
    }
}
