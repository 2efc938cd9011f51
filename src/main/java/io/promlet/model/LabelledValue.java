package io.promlet.model;

/**
 * A number with its labels, as OpenMetrics shows both a sample and an exemplar: the base of {@link Sample} and
 * {@link Exemplar}. Public because its methods are theirs; only this package extends it.
 */
public abstract class LabelledValue extends ModelValue {
    private final Labels labels;
    private final double value;

    LabelledValue(Labels labels, double value) {
        this.labels = labels;
        this.value = value;
    }

    /** The labels. */
    public final Labels labels() {
        return labels;
    }

    /** The value. */
    public final double value() {
        return value;
    }
}
