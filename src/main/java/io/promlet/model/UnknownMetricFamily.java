package io.promlet.model;

import java.util.List;

/**
 * A family of unknown type ({@code untyped} in the text format), for values from systems that do not say what they are.
 *
 * <pre>{@code
 * UnknownMetricFamily g = new UnknownMetricFamily("legacy_value", "A value of unknown type.", List.of("room"));
 * g.addMetric(List.of("kitchen"), 21.5);
 * }</pre>
 */
public final class UnknownMetricFamily extends ValueMetricFamily<UnknownMetricFamily> {
    /** Family with these label names. */
    public UnknownMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Family with a unit, appended to the name unless present. */
    public UnknownMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.UNKNOWN);
    }
}
