package io.promlet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A metric family whose points are all of one type. It owns the points and holds the family's type and
 * sample names, so a concrete family says only what its points are and which samples one point shows. Public
 * because its methods are the families' own; only this package extends it.
 *
 * @param <P> the type of the family's points
 * @param <F> the concrete family itself, which {@link #add(DataPoint)} returns for chaining
 */
public abstract class TypedMetricFamily<P extends MetricFamily.DataPoint, F extends TypedMetricFamily<P, F>>
        extends MetricFamily {
    private final MetricType type;
    private final List<String> sampleNames;
    private final List<P> points = new ArrayList<>();

    /**
     * The name, help, unit and label names are those of {@link MetricFamily}'s constructor.
     *
     * @param type           the family's type
     * @param sampleSuffixes what each sample name the family can expose appends to the family name, such as
     *                       {@code "_count"}; the empty string for a sample named like the family
     */
    TypedMetricFamily(String name, String help, String unit, List<String> labelNames, MetricType type,
                      String... sampleSuffixes) {
        super(name, help, unit, labelNames);
        this.type = type;
        String[] names = new String[sampleSuffixes.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = name() + sampleSuffixes[i];
        }
        this.sampleNames = List.of(names);
    }

    /**
     * Adds a point built by an instrument.
     *
     * @throws IllegalArgumentException if the point has the label this family adds to its samples itself
     *                                  ({@code le}, {@code quantile}, a state set's name), which would be shown twice
     */
    @SuppressWarnings("unchecked") // every concrete family names itself as F
    public final F add(P point) {
        Objects.requireNonNull(point, () -> owner() + "the point is null");
        String added = addedLabel();
        if (added != null && point.labels().get(added) != null) {
            throw new IllegalArgumentException(owner() + "point " + point.labels() + " must not have the label "
                    + added + ", which the family adds to its samples");
        }
        points.add(point);
        return (F) this;
    }

    /** The label this family adds to a point's labels in its samples, or null. */
    String addedLabel() {
        return null;
    }

    @Override
    public final MetricType type() {
        return type;
    }

    @Override
    public final List<String> sampleNames() {
        return sampleNames;
    }

    @Override
    public final List<P> points() {
        return Collections.unmodifiableList(points);
    }

    @Override
    final void addSamples(List<Sample> samples) {
        for (P point : points) {
            addSamples(point, samples);
        }
    }

    /** Appends the samples of one point. */
    abstract void addSamples(P point, List<Sample> samples);

    /** Appends the {@code _count} and {@code _sum} samples of a point. */
    final void addCountAndSum(DistributionPoint p, List<Sample> samples) {
        samples.add(new Sample(name() + "_count", p.labels(), p.count(), null));
        samples.add(new Sample(name() + "_sum", p.labels(), p.sum(), null));
    }

    /** Appends the {@code _created} sample of a point, unless its creation time is unknown. */
    final void addCreated(CumulativePoint p, List<Sample> samples) {
        if (!Double.isNaN(p.created())) {
            samples.add(new Sample(name() + "_created", p.labels(), p.created(), null));
        }
    }
}
