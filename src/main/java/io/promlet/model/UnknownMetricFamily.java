package io.promlet.model;

import java.util.List;
import java.util.Objects;

/**
 * A family of unknown type ({@code untyped} in the text format), for values from systems that do not say what they are.
 *
 * <pre>{@code
 * UnknownMetricFamily g = new UnknownMetricFamily("legacy_value", "A value of unknown type.", List.of("room"));
 * g.addMetric(List.of("kitchen"), 21.5);
 * }</pre>
 */
public final class UnknownMetricFamily extends TypedMetricFamily<UnknownMetricFamily.Point, UnknownMetricFamily> {
    /** One child. */
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
