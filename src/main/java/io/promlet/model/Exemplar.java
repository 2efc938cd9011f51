package io.promlet.model;

import java.util.Map;
import java.util.Objects;

/**
 * An exemplar: one observed value with its own labels, usually a trace id, whose names and values together are at
 * most {@value #MAX_LABELS_LENGTH} characters. Shown in OpenMetrics and protobuf, not in the text format 0.0.4.
 */
public final class Exemplar extends LabelledValue {
    /** The OpenMetrics limit on the combined length of an exemplar's label names and values. */
    public static final int MAX_LABELS_LENGTH = 128;

    private final double timestampSeconds;

    /**
     * @param labels           the exemplar's labels; their names and values together are at most 128 characters
     * @param value            the observed value
     * @param timestampSeconds when it was observed, in seconds since the epoch, or NaN if unknown
     * @throws IllegalArgumentException if the labels are longer than {@link #MAX_LABELS_LENGTH} code points
     */
    public Exemplar(Labels labels, double value, double timestampSeconds) {
        super(Objects.requireNonNull(labels, "exemplar labels"), value);
        int length = 0;
        for (int i = 0; i < labels.size(); i++) {
            length += labels.name(i).codePointCount(0, labels.name(i).length());
            length += labels.value(i).codePointCount(0, labels.value(i).length());
        }
        if (length > MAX_LABELS_LENGTH) {
            throw new IllegalArgumentException("exemplar labels " + labels + " are " + length
                    + " characters long, more than the " + MAX_LABELS_LENGTH + " OpenMetrics allows");
        }
        this.timestampSeconds = timestampSeconds;
    }

    @Override
    Object[] components() {
        return new Object[] {"labels", labels(), "value", value(), "timestampSeconds", timestampSeconds};
    }

    /**
     * Exemplar with these labels for a value observed now.
     *
     * @throws IllegalArgumentException if a label name is invalid, a value is not well-formed Unicode, or the labels are
     *                                  too long
     * @throws NullPointerException     if a label name or value is null
     */
    public static Exemplar of(Map<String, String> labels, double value) {
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        int i = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            names[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new Exemplar(Labels.validated("exemplar: ", names, values), value, System.currentTimeMillis() / 1000.0);
    }

    /** When it was observed, in seconds since the epoch, or NaN if unknown. */
    public double timestampSeconds() {
        return timestampSeconds;
    }
}
