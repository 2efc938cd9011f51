package io.promlet;

import io.promlet.internal.Value;
import io.promlet.internal.ValueStore;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.StateSetMetricFamily;

import java.util.List;
import java.util.Objects;

/**
 * Which one of a fixed set of states something is in, like the Python client's {@code Enum}. Starts in the
 * first state.
 *
 * <pre>{@code
 * StateSet task = StateSet.builder().name("task_state").help("Task state.")
 *         .states("starting", "running", "stopped").register(registry);
 * task.state("running");
 * }</pre>
 */
public final class StateSet extends Metric<StateSet.Child> {
    private final String[] states;

    private StateSet(Builder builder) {
        super(builder, (name, help, unit, labelNames) -> new StateSetMetricFamily(name, help, labelNames), Child::new);
        this.states = validStates(name(), builder.states);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Switches to this state (metric without labels). */
    public void state(String state) {
        noLabelsChild().state(state);
    }

    private static String[] validStates(String name, String[] states) {
        if (states.length == 0) {
            throw new IllegalArgumentException("state set " + name + " needs at least one state");
        }
        // The model's point checks the states (present, distinct, valid Unicode); its message gains the metric's name.
        try {
            new StateSetMetricFamily.Point(Labels.EMPTY, states, new boolean[states.length]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state set " + name + ": " + e.getMessage(), e);
        } catch (NullPointerException e) {
            throw new NullPointerException("state set " + name + ": " + e.getMessage());
        }
        return states;
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        boolean[] enabled = new boolean[states.length];
        if (child.flags == null) {
            enabled[(int) child.current.get()] = true;
        } else {
            for (int i = 0; i < states.length; i++) {
                enabled[i] = child.flags[i].get() == 1;
            }
        }
        ((StateSetMetricFamily) family).add(new StateSetMetricFamily.Point(child.labels, states, enabled));
    }

    /** The state of one combination of label values. */
    public static final class Child {
        private final StateSet stateSet;
        private final Labels labels;
        /** The index of the current state; null if the store is shared. */
        private final Value current;
        /** A shared store keeps a 0/1 flag per state, so that other processes' scrapes know every state; else null. */
        private final Value[] flags;

        private Child(StateSet stateSet, Labels labels) {
            this.stateSet = stateSet;
            this.labels = labels;
            ValueStore store = stateSet.store;
            String name = stateSet.name();
            if (store.shared()) {
                current = null;
                flags = new Value[stateSet.states.length];
                for (int i = 0; i < flags.length; i++) {
                    flags[i] = store.gauge(name, name, labels.plus(name, stateSet.states[i]));
                    flags[i].set(i == 0 ? 1 : 0);
                }
            } else {
                current = store.gauge(name, name, labels);
                flags = null;
            }
        }

        /**
         * Switches to this state.
         *
         * @throws IllegalArgumentException if it is not one of the declared states
         */
        public void state(String state) {
            String[] states = stateSet.states;
            for (int i = 0; i < states.length; i++) {
                if (states[i].equals(state)) {
                    if (flags == null) {
                        current.set(i);
                    } else {
                        setFlags(i);
                    }
                    return;
                }
            }
            throw new IllegalArgumentException("state set " + stateSet.name() + " has no state \"" + state
                    + "\"; its states are " + List.of(states));
        }

        /** Clears the other flags before setting this one: a scrape may miss the state for a moment, but never sees two. */
        private synchronized void setFlags(int state) {
            for (int i = 0; i < flags.length; i++) {
                if (i != state) {
                    flags[i].set(0);
                }
            }
            flags[state].set(1);
        }
    }

    /** Builds a {@link StateSet}. */
    public static final class Builder extends Metric.Builder<Builder, StateSet> {
        private String[] states = new String[0];

        private Builder() {
            super(StateSet::new);
        }

        /** The possible states, in order; the first is the initial one. */
        public Builder states(String... states) {
            this.states = Objects.requireNonNull(states, "states").clone();
            return this;
        }
    }
}
