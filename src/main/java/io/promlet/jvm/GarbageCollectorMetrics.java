package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.MetricFamily;
import io.promlet.model.SummaryMetricFamily;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Collections and the time spent in them per garbage collector, as a summary without quantiles. */
final class GarbageCollectorMetrics implements Collector {
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

    @Override
    public List<MetricFamily> collect() {
        SummaryMetricFamily gc = new SummaryMetricFamily("jvm_gc_collection_seconds",
                "Time spent in a given JVM garbage collector in seconds.", List.of("gc"));
        for (GarbageCollectorMXBean collector : collectors) {
            long count = collector.getCollectionCount();
            long millis = collector.getCollectionTime();
            // -1 means this collector does not keep the statistic.
            if (count >= 0 && millis >= 0) {
                gc.addMetric(List.of(collector.getName()), count, millis / 1000.0);
            }
        }
        return List.of(gc);
    }
}
