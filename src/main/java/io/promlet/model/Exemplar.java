package io.promlet.model;

import java.util.Map;
import java.util.Objects;

/**
 * An exemplar: a sample of one observation with its own labels, usually a trace id. Shown only in
 * OpenMetrics.
 *
 * @param labels           the exemplar's labels; their names and values together are at most 128 characters
 * @param value            the observed value
 * @param timestampSeconds when it was observed, in seconds since the epoch, or NaN if unknown
 */
public record Exemplar(Labels labels, double value, double timestampSeconds) {
    /** The OpenMetrics limit on the combined length of an exemplar's label names and values. */
    public static final int MAX_LABELS_LENGTH = 128;

    /** @throws IllegalArgumentException if the labels are longer than {@link #MAX_LABELS_LENGTH} code points */
    public Exemplar {
        Objects.requireNonNull(labels, "exemplar labels");
        int length = 0;
        for (int i = 0; i < labels.size(); i++) {
            length += labels.name(i).codePointCount(0, labels.name(i).length());
            length += labels.value(i).codePointCount(0, labels.value(i).length());
        }
        if (length > MAX_LABELS_LENGTH) {
            throw new IllegalArgumentException("exemplar labels " + labels + " are " + length
                    + " characters long, more than the " + MAX_LABELS_LENGTH + " OpenMetrics allows");
        }
    }

    /** Exemplar with these labels for a value observed now. */
    public static Exemplar of(Map<String, String> labels, double value) {
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        int i = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            names[i] = Objects.requireNonNull(e.getKey(), "exemplar label name");
            values[i] = Objects.requireNonNull(e.getValue(), () -> "exemplar label " + e.getKey());
            if (!MetricNames.isValidLabelName(names[i])) {
                throw new IllegalArgumentException("invalid exemplar label name: " + names[i]);
            }
            i++;
        }
        return new Exemplar(Labels.adopt(names, values), value, System.currentTimeMillis() / 1000.0);
    }
}
