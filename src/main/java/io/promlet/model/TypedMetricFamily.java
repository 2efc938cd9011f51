package io.promlet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A metric family whose points are all of one type. It owns the points, so each concrete family says only
 * what its points are and which samples one point shows.
 *
 * @param <P> the type of the family's points
 * @param <F> the concrete family itself, which {@link #add(DataPoint)} returns for chaining
 */
abstract class TypedMetricFamily<P extends MetricFamily.DataPoint, F extends TypedMetricFamily<P, F>>
        extends MetricFamily {
    private final List<P> points = new ArrayList<>();

    /** See {@link MetricFamily}'s constructor. */
    TypedMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames);
    }

    /** Adds a point built by an instrument. */
    @SuppressWarnings("unchecked") // every concrete family names itself as F
    public final F add(P point) {
        points.add(point);
        return (F) this;
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
}
