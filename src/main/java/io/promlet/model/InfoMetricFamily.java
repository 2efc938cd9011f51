package io.promlet.model;

import java.util.List;
import java.util.Map;

/**
 * An info family: a constant 1 whose labels carry the information. The family name has no {@code _info};
 * the sample has.
 *
 * <pre>{@code
 * InfoMetricFamily build = new InfoMetricFamily("build", "Build information.", List.of());
 * build.addMetric(List.of(), Map.of("version", "1.2.3", "commit", "abc123"));
 * }</pre>
 */
public final class InfoMetricFamily extends TypedMetricFamily<InfoMetricFamily.Point, InfoMetricFamily> {
    /** One info child. */
    public static final class Point extends DataPoint {
        /** @param labels the child's labels followed by the info labels */
        public Point(Labels labels) {
            super(labels);
        }
    }

    /** Info family with these label names; a trailing {@code _info} on the name is dropped. */
    public InfoMetricFamily(String name, String help, List<String> labelNames) {
        super(name.endsWith("_info") ? name.substring(0, name.length() - 5) : name, help, "", labelNames,
                MetricType.INFO, "_info");
    }

    /**
     * Adds a child: its label values, then the info as label names and values.
     *
     * @throws IllegalArgumentException if an info label name is invalid or is also a label of the family, or a value
     *                                  is not well-formed Unicode
     * @throws NullPointerException     if an info label name or value is null
     */
    public InfoMetricFamily addMetric(List<String> labelValues, Map<String, String> info) {
        Labels labels = labelsFor(labelValues);
        String[] names = new String[labels.size() + info.size()];
        String[] values = new String[names.length];
        int n = 0;
        for (; n < labels.size(); n++) {
            names[n] = labels.name(n);
            values[n] = labels.value(n);
        }
        for (Map.Entry<String, String> e : info.entrySet()) {
            Labels.checkName(owner(), e.getKey());
            Labels.checkValue(owner(), e.getKey(), e.getValue());
            Labels.checkNotIn(owner(), names, n, e.getKey());
            names[n] = e.getKey();
            values[n++] = e.getValue();
        }
        return add(new Point(Labels.adopt(names, values)));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        samples.add(new Sample(name() + "_info", p.labels(), 1, null));
    }
}
