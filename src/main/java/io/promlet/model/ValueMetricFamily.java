package io.promlet.model;

import java.util.List;

/**
 * A family whose points are one number each: the base of {@link GaugeMetricFamily} and {@link
 * UnknownMetricFamily}, which differ only in their type. Public because its members are theirs; only this package
 * extends it.
 *
 * @param <F> the concrete family, which {@link #addMetric} returns for chaining
 */
public abstract class ValueMetricFamily<F extends ValueMetricFamily<F>> extends TypedMetricFamily<ValueMetricFamily.Point, F> {
    /** One child and its value. */
    public static final class Point extends DataPoint {
        private final double value;

        /**
         * @param labels the child's labels
         * @param value  the value
         */
        public Point(Labels labels, double value) {
            super(labels);
            this.value = value;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels(), "value", value};
        }

        /** The value. */
        public double value() {
            return value;
        }
    }

    ValueMetricFamily(String name, String help, String unit, List<String> labelNames, MetricType type) {
        super(name, help, unit, labelNames, type, "");
    }

    /** Adds a child with these label values. */
    public F addMetric(List<String> labelValues, double value) {
        return add(new Point(labelsFor(labelValues), value));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        samples.add(new Sample(name(), p.labels(), p.value(), null));
    }
}
