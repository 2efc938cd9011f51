package io.promlet.internal;

import io.promlet.model.MetricType;

import java.util.List;
import java.util.Objects;

/**
 * What a value store may know of a metric, handed to it as a value when the metric is built, so that no store
 * reads back into the instrument: its type, family name, help, unit, label names and, for gauges, the
 * multi-process mode's name as the Python client writes it ({@code all}, {@code livesum}, ...).
 */
public final class MetricDescriptor {
    /** The metric's type, such as {@code COUNTER}. */
    public final MetricType type;
    /** The family name, as exposed. */
    public final String name;
    /** The help text. */
    public final String help;
    /** The unit, or the empty string. */
    public final String unit;
    /** The label names, unmodifiable. */
    public final List<String> labelNames;
    /** The gauge's multi-process mode, such as {@code livesum}; null unless the metric is a gauge. */
    public final String gaugeMode;

    /**
     * A metric's description; the label names are copied.
     *
     * @param gaugeMode the gauge's multi-process mode, such as {@code livesum}; null for other types
     */
    public MetricDescriptor(MetricType type, String name, String help, String unit, List<String> labelNames,
                            String gaugeMode) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.help = Objects.requireNonNull(help, "help");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.labelNames = List.copyOf(labelNames);
        if ((type == MetricType.GAUGE) != (gaugeMode != null)) {
            throw new IllegalArgumentException("metric " + name + ": a gauge mode goes with gauges and only them");
        }
        this.gaugeMode = gaugeMode;
    }
}
