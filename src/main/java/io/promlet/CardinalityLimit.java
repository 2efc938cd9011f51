package io.promlet;

import io.promlet.internal.ChildTable;
import io.promlet.internal.ValueStore;
import io.promlet.model.Labels;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A labelled metric's bound on its children: at most {@link #limit()} of them, the overflow child (every label value
 * {@link Metric#OVERFLOW_LABEL_VALUE}) included, which has the last place to itself. A new label set that finds the
 * metric full is recorded in the overflow child, so totals stay exact; the first such set logs one warning, and each
 * one counts in the registry's {@code promlet_cardinality_overflow_total}. Only creating a child comes here: looking
 * up an existing one never does, and at the limit an overflowing lookup takes no lock either.
 */
final class CardinalityLimit {
    private static final System.Logger LOGGER = System.getLogger(Metric.class.getName());

    /** The metric's own limit, or 0 for its registry's. */
    private final int own;
    /** The store the metric was given instead of the process's, or null; the overflow count is kept there too. */
    private final ValueStore store;
    private final String[] overflowValues;
    private final int overflowHash;
    /** The registry whose default applies and that shows the overflow count: the one registered with last. */
    private volatile CollectorRegistry registry;
    private volatile Counter.Child overflows;
    private boolean warned;

    CardinalityLimit(int own, ValueStore store, String[] overflowValues, int overflowHash) {
        this.own = own;
        this.store = store;
        this.overflowValues = overflowValues;
        this.overflowHash = overflowHash;
    }

    /** The limit in force: the metric's own, else its registry's, else the default. */
    int limit() {
        CollectorRegistry r = registry;
        return own > 0 ? own : r != null ? r.cardinalityLimit() : CollectorRegistry.DEFAULT_CARDINALITY_LIMIT;
    }

    void registeredIn(CollectorRegistry registry) {
        this.registry = registry;
        overflows = null;
    }

    /**
     * The child for values that have none yet: a new one while there is room, else the overflow child.
     *
     * @param newChild makes the child of a label set the metric has checked
     */
    <C> C childFor(Metric<C> metric, ChildTable<C> children, int hash, String[] values, Function<Labels, C> newChild) {
        if (Arrays.equals(values, overflowValues)) {
            return overflowChild(metric, children, newChild);
        }
        int limit = limit();
        // Read without the lock: once the overflow child fills the last place, overflowing lookups take none.
        if (children.size() < limit) {
            synchronized (this) {
                C child = children.get(hash, values);
                if (child != null) {
                    return child;
                }
                int size = children.size();
                if (size < limit - 1 || size < limit && children.get(overflowHash, overflowValues) != null) {
                    return children.computeIfAbsent(hash, metric.labelsOf(values), newChild);
                }
            }
        }
        // Values past the limit are checked as those of a new child are, though they get none.
        metric.labelsOf(values);
        overflowCount(metric, values, limit).inc();
        return overflowChild(metric, children, newChild);
    }

    private <C> C overflowChild(Metric<C> metric, ChildTable<C> children, Function<Labels, C> newChild) {
        C child = children.get(overflowHash, overflowValues);
        return child != null ? child : children.computeIfAbsent(overflowHash, metric.labelsOf(overflowValues), newChild);
    }

    private Counter.Child overflowCount(Metric<?> metric, String[] values, int limit) {
        Counter.Child count = overflows;
        if (count != null) {
            return count;
        }
        synchronized (this) {
            if (!warned) {
                warned = true;
                LOGGER.log(System.Logger.Level.WARNING, "Metric {0} has reached its cardinality limit of {1} children;"
                        + " new label sets, such as {2}, are recorded in its child whose every label is {3}, and"
                        + " counted in promlet_cardinality_overflow_total (logged once). Use labels of few values,"
                        + " or raise the limit with cardinalityLimit(n) on the builder or"
                        + " CollectorRegistry.setCardinalityLimit(n).", metric.name(), limit, Arrays.toString(values),
                        Metric.OVERFLOW_LABEL_VALUE);
            }
        }
        // A metric is built and registered in one step, so it has a registry before it has children.
        count = registry.overflowCount(metric.name(), store);
        overflows = count;
        return count;
    }
}
