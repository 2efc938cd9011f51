package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.MetricFamily;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jvm_info{version, vendor, runtime}}, from the Java system properties. */
final class JvmInfo implements Collector {
    @Override
    public List<MetricFamily> collect() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("runtime", System.getProperty("java.runtime.name", ""));
        info.put("vendor", System.getProperty("java.vm.vendor", ""));
        info.put("version", System.getProperty("java.runtime.version", ""));
        return List.of(new InfoMetricFamily("jvm", "VM version info", List.of()).addMetric(List.of(), info));
    }
}
