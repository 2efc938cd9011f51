package io.promlet.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A state set family: a series of booleans per child, one per state, shown with a label named like the
 * family.
 *
 * <pre>{@code
 * StateSetMetricFamily s = new StateSetMetricFamily("feature_flags", "Flags.", List.of());
 * s.addMetric(List.of(), Map.of("dark_mode", true, "beta", false));
 * }</pre>
 */
public final class StateSetMetricFamily extends TypedMetricFamily<StateSetMetricFamily.Point, StateSetMetricFamily> {
    /** One state set child. */
    public static final class Point extends DataPoint {
        private final String[] states;
        private final boolean[] enabled;

        /**
         * @param labels  the child's labels
         * @param states  the state names
         * @param enabled for each state, whether it is set
         * @throws IllegalArgumentException if states and flags differ in length, a state is given twice or is not
         *                                  well-formed Unicode
         * @throws NullPointerException     if an argument or a state is null
         */
        public Point(Labels labels, String[] states, boolean[] enabled) {
            super(labels);
            Objects.requireNonNull(states, "states");
            Objects.requireNonNull(enabled, "enabled");
            if (states.length != enabled.length) {
                throw new IllegalArgumentException(states.length + " states but " + enabled.length + " flags");
            }
            for (int i = 0; i < states.length; i++) {
                // A state is the value of the label named like the family, so it must be one.
                UnicodeText.check("state", Objects.requireNonNull(states[i], "a state is null"));
                for (int j = 0; j < i; j++) {
                    if (states[i].equals(states[j])) {
                        throw new IllegalArgumentException("state " + states[i] + " is given twice");
                    }
                }
            }
            this.states = states;
            this.enabled = enabled;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels(), "states", states, "enabled", enabled};
        }

        /** The state names. */
        public String[] states() {
            return states;
        }

        /** For each state, whether it is set. */
        public boolean[] enabled() {
            return enabled;
        }
    }

    /**
     * State set family with these label names; none of them may be the family's own name.
     *
     * @throws IllegalArgumentException also if the name is no valid label name (it has a colon or starts with
     *                                  {@code __}): the samples show the state in a label named like the family
     */
    public StateSetMetricFamily(String name, String help, List<String> labelNames) {
        super(name, help, "", labelNames, MetricType.STATESET, "");
        if (!MetricNames.isValidLabelName(name) || name.startsWith("__")) {
            throw new IllegalArgumentException("state set " + name + ": the name is also the label of the states, so it"
                    + " must be a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
        }
        if (labelNames.contains(name)) {
            throw new IllegalArgumentException("state set " + name + " must not have a label named like itself");
        }
    }

    /**
     * Adds a child: its label values and each state with whether it is set.
     *
     * @throws NullPointerException     if a state or its flag is null
     * @throws IllegalArgumentException if a state is not well-formed Unicode
     */
    public StateSetMetricFamily addMetric(List<String> labelValues, Map<String, Boolean> states) {
        String[] names = new String[states.size()];
        boolean[] enabled = new boolean[states.size()];
        int i = 0;
        for (Map.Entry<String, Boolean> e : states.entrySet()) {
            names[i] = e.getKey();
            Labels.checkValue(owner(), name(), e.getKey());
            enabled[i++] = Objects.requireNonNull(e.getValue(),
                    () -> owner() + "state " + e.getKey() + " is neither set nor unset (null)");
        }
        return add(new Point(labelsFor(labelValues), names, enabled));
    }

    @Override
    String addedLabel() {
        return name();
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        for (int i = 0; i < p.states().length; i++) {
            samples.add(new Sample(name(), p.labels().plus(name(), p.states()[i]), p.enabled()[i] ? 1 : 0, null));
        }
    }
}
