package io.promlet.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A snapshot of one metric family: its name, help, unit, type and data points. Subclasses hold the typed
 * points ({@link CounterMetricFamily}, {@link HistogramMetricFamily}, ...). A family is filled by its
 * collector during {@code collect()} and only read after that.
 */
public abstract class MetricFamily implements Cloneable {
    /**
     * A data point of a family: one child, identified by its labels. Points are immutable values, equal when their
     * class, labels and components are (numbers by value, NaN equal to NaN; arrays by identity, as records compare
     * them).
     */
    public abstract static class DataPoint {
        private static final Object[] NO_COMPONENTS = {};

        private final Labels labels;

        DataPoint(Labels labels) {
            this.labels = Objects.requireNonNull(labels, "labels");
        }

        /** The point's labels, without {@code le} or {@code quantile}. */
        public final Labels labels() {
            return labels;
        }

        /** What the point holds besides its labels, as name, value pairs in declaration order. */
        Object[] components() {
            return NO_COMPONENTS;
        }

        @Override
        public final boolean equals(Object o) {
            return o != null && o.getClass() == getClass() && labels.equals(((DataPoint) o).labels)
                    && Arrays.equals(components(), ((DataPoint) o).components());
        }

        @Override
        public final int hashCode() {
            return 31 * labels.hashCode() + Arrays.hashCode(components());
        }

        @Override
        public final String toString() {
            StringBuilder s = new StringBuilder("Point[labels=").append(labels);
            Object[] c = components();
            for (int i = 0; i < c.length; i += 2) {
                s.append(", ").append(c[i]).append('=').append(c[i + 1]);
            }
            return s.append(']').toString();
        }
    }

    private final String name;
    private final String help;
    private final String unit;
    private final String[] labelNames;
    private final String owner;
    private Predicate<String> sampleFilter;

    /**
     * @param name       the family name, valid as a metric name, without type suffixes such as {@code _total}
     * @param help       the help text, may be empty
     * @param unit       the unit, or empty; appended to the name unless it already ends with {@code _<unit>}
     * @param labelNames the label names of {@link #labelsFor(List)}; may be empty
     */
    MetricFamily(String name, String help, String unit, List<String> labelNames) {
        Objects.requireNonNull(name, "metric name");
        if (!MetricNames.isValidMetricName(name)) {
            throw new IllegalArgumentException("invalid metric name: \"" + name + "\"");
        }
        this.unit = unit == null ? "" : unit;
        if (!this.unit.isEmpty() && !MetricNames.isValidLabelName(this.unit)) {
            throw new IllegalArgumentException("metric " + name + ": invalid unit \"" + this.unit + "\"");
        }
        // OpenMetrics requires the family name to end with the unit; add it rather than reject the name.
        this.name = this.unit.isEmpty() || name.endsWith("_" + this.unit) ? name : name + "_" + this.unit;
        this.help = Objects.requireNonNull(help, () -> "help of " + name);
        UnicodeText.check("metric " + name + ": help", help);
        this.labelNames = Objects.requireNonNull(labelNames, () -> "label names of " + name).toArray(new String[0]);
        this.owner = "metric " + this.name + ": ";
        for (int i = 0; i < this.labelNames.length; i++) {
            Labels.checkName(owner, this.labelNames[i]);
            Labels.checkNotIn(owner, this.labelNames, i, this.labelNames[i]);
        }
    }

    /** What error messages about this family's labels start with: {@code "metric x: "}. */
    final String owner() {
        return owner;
    }

    /** The family name: for a counter without {@code _total}, for an info metric without {@code _info}. */
    public final String name() {
        return name;
    }

    /** The help text. */
    public final String help() {
        return help;
    }

    /** The unit, or the empty string. */
    public final String unit() {
        return unit;
    }

    /** The family's type. */
    public abstract MetricType type();

    /** Every sample name this family can expose, such as {@code x_bucket}, {@code x_count}, {@code x_sum}, {@code x_created}. */
    public abstract List<String> sampleNames();

    /** The data points, in the order they were added. */
    public abstract List<? extends DataPoint> points();

    /**
     * The samples of this family, one per exposition line (OpenMetrics view, including {@code _created}; the negative
     * or NaN sums and negative quantiles that OpenMetrics leaves out are included, as the text format shows them).
     */
    public final List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        addSamples(samples);
        samples.removeIf(s -> !includes(s.name()));
        return samples;
    }

    /** Appends the samples of every point. */
    abstract void addSamples(List<Sample> samples);

    /**
     * Labels for a point from its label values, in the order of this family's label names.
     *
     * @throws IllegalArgumentException if the number of values differs from the number of label names, or a value is not
     *                                  well-formed Unicode
     * @throws NullPointerException     if a value is null
     */
    final Labels labelsFor(List<String> labelValues) {
        Objects.requireNonNull(labelValues, () -> owner + "label values are null");
        if (labelValues.size() != labelNames.length) {
            throw new IllegalArgumentException("metric " + name + ": " + labelValues.size()
                    + " label values " + labelValues + " for " + labelNames.length + " label names "
                    + List.of(labelNames));
        }
        String[] values = labelValues.toArray(new String[0]);
        for (int i = 0; i < labelNames.length; i++) {
            Labels.checkValue(owner(), labelNames[i], values[i]);
        }
        return Labels.adopt(labelNames, values);
    }

    /**
     * True if the sample of this name is to be shown. Every sample is, unless the family came from
     * {@link #filtered(Predicate)}.
     */
    public final boolean includes(String sampleName) {
        return sampleFilter == null || sampleFilter.test(sampleName);
    }

    /** A view of this family that shows only the samples whose names pass the filter; the points are shared. */
    public final MetricFamily filtered(Predicate<String> filter) {
        try {
            MetricFamily copy = (MetricFamily) super.clone();
            copy.sampleFilter = sampleFilter == null ? filter : sampleFilter.and(filter);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return type() + " " + name + " " + samples();
    }
}
