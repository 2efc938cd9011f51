package io.promlet.model;

import java.util.List;
import java.util.Objects;

/**
 * A gauge family.
 *
 * <pre>{@code
 * GaugeMetricFamily g = new GaugeMetricFamily("room_temperature_celsius", "Temperature.", List.of("room"));
 * g.addMetric(List.of("kitchen"), 21.5);
 * }</pre>
 */
public final class GaugeMetricFamily extends TypedMetricFamily<GaugeMetricFamily.Point, GaugeMetricFamily> {
    /** One gauge child. */
    public static final class Point implements DataPoint {
        private final Labels labels;
        private final double value;

        /**
         * @param labels the child's labels
         * @param value  the value
         */
        public Point(Labels labels, double value) {
            this.labels = labels;
            this.value = value;
        }

        /** The child's labels. */
        @Override
        public Labels labels() {
            return labels;
        }

        /** The value. */
        public double value() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Point)) {
                return false;
            }
            Point other = (Point) o;
            return Objects.equals(labels, other.labels) && Double.compare(value, other.value) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(labels, value);
        }

        @Override
        public String toString() {
            return "Point[labels=" + labels + ", value=" + value + "]";
        }
    }

    /** Gauge family with these label names. */
    public GaugeMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Gauge family with a unit, appended to the name unless present. */
    public GaugeMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.GAUGE, "");
    }

    /** Adds a child with these label values. */
    public GaugeMetricFamily addMetric(List<String> labelValues, double value) {
        return add(new Point(labelsFor(labelValues), value));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        samples.add(new Sample(name(), p.labels(), p.value(), null));
    }
}
