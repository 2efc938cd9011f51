package io.promlet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A gauge family.
 *
 * <pre>{@code
 * GaugeMetricFamily g = new GaugeMetricFamily("room_temperature_celsius", "Temperature.", List.of("room"));
 * g.addMetric(List.of("kitchen"), 21.5);
 * }</pre>
 */
public final class GaugeMetricFamily extends MetricFamily {
    /**
     * One gauge child.
     *
     * @param labels the child's labels
     * @param value  the value
     */
    public record Point(Labels labels, double value) implements DataPoint {
    }

    private final List<Point> points = new ArrayList<>();

    /** Gauge family with these label names. */
    public GaugeMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Gauge family with a unit, appended to the name unless present. */
    public GaugeMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames);
    }

    /** Adds a child with these label values. */
    public GaugeMetricFamily addMetric(List<String> labelValues, double value) {
        return add(new Point(labelsFor(labelValues), value));
    }

    /** Adds a point built by an instrument. */
    public GaugeMetricFamily add(Point point) {
        points.add(point);
        return this;
    }

    @Override
    public MetricType type() {
        return MetricType.GAUGE;
    }

    @Override
    public List<String> sampleNames() {
        return List.of(name());
    }

    @Override
    public List<Point> points() {
        return Collections.unmodifiableList(points);
    }

    @Override
    void addSamples(List<Sample> samples) {
        for (Point p : points) {
            samples.add(new Sample(name(), p.labels(), p.value(), null));
        }
    }
}
