package io.promlet.model;

import java.util.List;

/**
 * A counter family. The family name has no {@code _total}; the sample has.
 *
 * <pre>{@code
 * CounterMetricFamily c = new CounterMetricFamily("jobs_total", "Jobs run.", List.of("queue"));
 * c.addMetric(List.of("mail"), 42);
 * }</pre>
 */
public final class CounterMetricFamily extends TypedMetricFamily<CounterMetricFamily.Point, CounterMetricFamily> {
    /** One counter child. */
    public static final class Point extends CumulativePoint {
        private final double value;
        private final Exemplar exemplar;

        /**
         * @param labels   the child's labels
         * @param value    the count, never negative
         * @param exemplar the latest exemplar, or null
         * @param created  when the child was created, in seconds since the epoch, or NaN if unknown
         * @throws IllegalArgumentException if the value is negative or NaN, which no counter can be
         */
        public Point(Labels labels, double value, Exemplar exemplar, double created) {
            super(labels, created);
            if (!(value >= 0)) {
                // Points are made on every scrape: the message's text is built only when it is needed.
                checkValue("counter point " + labels + ": ", value);
            }
            this.value = value;
            this.exemplar = exemplar;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels(), "value", value, "exemplar", exemplar, "created", created()};
        }

        /** The count, never negative. */
        public double value() {
            return value;
        }

        /** The latest exemplar, or null. */
        public Exemplar exemplar() {
            return exemplar;
        }
    }

    /** Counter family with these label names; a trailing {@code _total} on the name is dropped. */
    public CounterMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Counter family with a unit, appended to the name unless present. */
    public CounterMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name.endsWith("_total") ? name.substring(0, name.length() - 6) : name, help, unit, labelNames,
                MetricType.COUNTER, "_total", "_created");
    }

    /**
     * Adds a child with these label values.
     *
     * @throws IllegalArgumentException if the value is negative or NaN
     */
    public CounterMetricFamily addMetric(List<String> labelValues, double value) {
        checkValue(owner(), value);
        return add(new Point(labelsFor(labelValues), value, null, Double.NaN));
    }

    /**
     * Adds a child with these label values and its creation time in seconds since the epoch.
     *
     * @throws IllegalArgumentException if the value is negative or NaN
     */
    public CounterMetricFamily addMetric(List<String> labelValues, double value, double createdSeconds) {
        checkValue(owner(), value);
        return add(new Point(labelsFor(labelValues), value, null, createdSeconds));
    }

    /** Refuses a value no counter can have, which OpenMetrics parsers reject with the whole scrape. */
    private static void checkValue(String owner, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(owner + "counter value " + value + " is negative or NaN");
        }
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        samples.add(new Sample(name() + "_total", p.labels(), p.value(), p.exemplar()));
        addCreated(p, samples);
    }
}
