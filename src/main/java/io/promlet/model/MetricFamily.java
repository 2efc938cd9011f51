package io.promlet.model;

import java.util.ArrayList;
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
     * A data point of a family: one child, identified by its labels. Its components start with the labels.
     */
    public abstract static class DataPoint extends ModelValue {
        private final Labels labels;

        DataPoint(Labels labels) {
            this.labels = Objects.requireNonNull(labels, "labels");
        }

        /** The point's labels, without {@code le} or {@code quantile}. */
        public final Labels labels() {
            return labels;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels};
        }
    }

    /**
     * A point that counts from when its child was created: a counter's, a summary's or a histogram's, which
     * OpenMetrics shows with a {@code _created} sample.
     */
    public abstract static class CumulativePoint extends DataPoint {
        private final double created;

        CumulativePoint(Labels labels, double created) {
            super(labels);
            this.created = created;
        }

        /** When the child was created, in seconds since the epoch, or NaN if unknown. */
        public final double created() {
            return created;
        }
    }

    /** A point over observed values, a summary's or a histogram's: how many there were and their sum. */
    public abstract static class DistributionPoint extends CumulativePoint {
        private final double sum;

        DistributionPoint(Labels labels, double sum, double created) {
            super(labels, created);
            this.sum = sum;
        }

        /** The number of observations. */
        public abstract long count();

        /** The sum of the observations. */
        public final double sum() {
            return sum;
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
