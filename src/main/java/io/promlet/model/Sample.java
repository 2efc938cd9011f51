package io.promlet.model;

/**
 * One line of exposition: a sample name, its labels (including {@code le} or {@code quantile} where they apply) and
 * its value. Families are stored as typed points; {@link MetricFamily#samples()} flattens them into these for lookups
 * and tests.
 */
public final class Sample extends LabelledValue {
    private final String name;
    private final Exemplar exemplar;

    /**
     * @param name     the sample name, such as {@code requests_total} or {@code latency_seconds_bucket}
     * @param labels   the labels, including {@code le} or {@code quantile} where they apply
     * @param value    the value
     * @param exemplar the exemplar, or null
     */
    public Sample(String name, Labels labels, double value, Exemplar exemplar) {
        super(labels, value);
        this.name = name;
        this.exemplar = exemplar;
    }

    @Override
    Object[] components() {
        return new Object[] {"name", name, "labels", labels(), "value", value(), "exemplar", exemplar};
    }

    /** The sample name, such as {@code requests_total} or {@code latency_seconds_bucket}. */
    public String name() {
        return name;
    }

    /** The exemplar, or null. */
    public Exemplar exemplar() {
        return exemplar;
    }
}
