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
public final class UnknownMetricFamily extends TypedMetricFamily<UnknownMetricFamily.Point, UnknownMetricFamily> {
    /**
     * One child.
     *
     * @param labels the child's labels
     * @param value  the value
     */
    public record Point(Labels labels, double value) implements DataPoint {
    }

    /** Family with these label names. */
    public UnknownMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Family with a unit, appended to the name unless present. */
    public UnknownMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.UNKNOWN, "");
    }

    /** Adds a child with these label values. */
    public UnknownMetricFamily addMetric(List<String> labelValues, double value) {
        return add(new Point(labelsFor(labelValues), value));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        samples.add(new Sample(name(), p.labels(), p.value(), null));
    }
}
