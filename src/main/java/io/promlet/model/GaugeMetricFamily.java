package io.promlet.model;

import java.util.List;

/**
 * A gauge family.
 *
 * <pre>{@code
 * GaugeMetricFamily g = new GaugeMetricFamily("room_temperature_celsius", "Temperature.", List.of("room"));
 * g.addMetric(List.of("kitchen"), 21.5);
 * }</pre>
 */
public final class GaugeMetricFamily extends ValueMetricFamily<GaugeMetricFamily> {
    /** Gauge family with these label names. */
    public GaugeMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Gauge family with a unit, appended to the name unless present. */
    public GaugeMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.GAUGE);
    }
}
