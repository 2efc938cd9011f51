package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Classes loaded now, and loaded and unloaded since the JVM started. */
final class ClassLoadingMetrics implements Collector {
    private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();

    @Override
    public List<MetricFamily> collect() {
        return List.of(
                new GaugeMetricFamily("jvm_classes_currently_loaded",
                        "The number of classes that are currently loaded in the JVM.", List.of())
                        .addMetric(List.of(), classes.getLoadedClassCount()),
                new CounterMetricFamily("jvm_classes_loaded_total",
                        "The total number of classes that have been loaded since the JVM has started execution.", List.of())
                        .addMetric(List.of(), classes.getTotalLoadedClassCount()),
                new CounterMetricFamily("jvm_classes_unloaded_total",
                        "The total number of classes that have been unloaded since the JVM has started execution.", List.of())
                        .addMetric(List.of(), classes.getUnloadedClassCount()));
    }
}
