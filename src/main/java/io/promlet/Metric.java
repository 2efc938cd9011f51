package io.promlet;

import io.promlet.internal.ChildTable;
import io.promlet.internal.MetricDescriptor;
import io.promlet.internal.ProcessStore;
import io.promlet.internal.ValueStore;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The part every instrument shares: name, help, label names and the children, one per combination of
 * label values. A metric without labels has exactly one child, which its own {@code inc()},
 * {@code observe()}, ... methods use.
 *
 * @param <C> the child type, such as {@link Counter.Child}
 */
public abstract class Metric<C> implements Collector {
    /**
     * The label value of the overflow child, which records every label set a metric gets past its cardinality limit
     * (each of its labels has this value); the servlet filter labels routes past {@code max-paths} with it too.
     */
    public static final String OVERFLOW_LABEL_VALUE = "OTHER";
    private static final String[] NO_VALUES = new String[0];

    private final String name;
    private final String help;
    private final String unit;
    private final String[] labelNames;
    final ValueStore store;
    private final FamilyFactory families;
    private final Function<Labels, C> newChild;
    private final ChildTable<C> children = new ChildTable<>();
    private final CardinalityLimit cardinality;
    private C noLabelsChild;
    /** The labels of the first child, whose names array every later child's labels share. */
    private Labels firstLabels;

    /**
     * @param families makes the empty family of the metric's type, also to validate its names
     * @param children makes the child of one combination of label values, such as {@code Child::new}
     * @param <M>      the metric itself
     */
    @SuppressWarnings("unchecked") // every metric passes the child constructor of its own type
    <M extends Metric<C>> Metric(Builder<?, ?> builder, FamilyFactory families, BiFunction<M, Labels, C> children) {
        if (builder.help == null) {
            throw new IllegalArgumentException("metric " + builder.name + ": help is required");
        }
        this.help = builder.help;
        this.labelNames = builder.labelNames;
        this.families = families;
        this.newChild = labels -> children.apply((M) this, labels);
        for (String label : labelNames) {
            // Checked before the family, whose label names are a List.of, which refuses a null without saying whose.
            if (label == null) {
                throw new NullPointerException("metric " + builder.name + ": a label name is null");
            }
        }
        // Building an empty family validates the name, unit and label names with the model's own rules.
        MetricFamily family = newFamily(Objects.requireNonNull(builder.name, "metric name"), builder.unit);
        this.name = family.name();
        this.unit = family.unit();
        MetricDescriptor descriptor = new MetricDescriptor(family.type(), name, help, unit, List.of(labelNames),
                builder.gaugeMode(name));
        this.store = (builder.store != null ? builder.store : ProcessStore.get()).forMetric(descriptor);
        String[] overflow = new String[labelNames.length];
        Arrays.fill(overflow, OVERFLOW_LABEL_VALUE);
        this.cardinality = new CardinalityLimit(builder.cardinalityLimit, builder.store, overflow, checkedHash(overflow));
    }

    /**
     * The child for these label values, created on first use. Looking up an existing child allocates nothing
     * beyond the varargs array, and with up to three labels not even that (the fixed-count overloads below are
     * chosen); keep the child in a field where the values are fixed. A metric that has reached its cardinality limit
     * ({@link Builder#cardinalityLimit}) creates no new child: new values get the overflow child, whose every label
     * is {@link #OVERFLOW_LABEL_VALUE}.
     *
     * @throws IllegalArgumentException if the number of values differs from the number of label names, or a value is
     *                                  not well-formed Unicode (has an unpaired surrogate)
     * @throws NullPointerException     if a value is null
     */
    public final C labels(String... labelValues) {
        int hash = checkedHash(labelValues);
        C child = children.get(hash, labelValues);
        return child != null ? child : cardinality.childFor(this, children, hash, labelValues, newChild);
    }

    /** Makes this registry's cardinality default apply to the metric, and its overflow count show there. */
    final void registeredIn(CollectorRegistry registry) {
        cardinality.registeredIn(registry);
    }

    /**
     * The labels of a new child, checked by the model, whose message this prefixes with the metric's name. A race
     * for the first labels is harmless: a child that lost it holds its own copy of the names.
     */
    final Labels labelsOf(String[] values) {
        try {
            Labels first = firstLabels;
            if (first != null) {
                return first.withValues(values);
            }
            Labels labels = Labels.of(labelNames, values);
            firstLabels = labels;
            return labels;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metric " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #labels(String...)} for a metric with one label. Looking up an existing child allocates nothing, as
     * there is no varargs array.
     */
    public final C labels(String value) {
        if (labelNames.length != 1) {
            throw wrongValueCount(new String[] {value});
        }
        int hash = spread(31 + hash(value, 0));
        C child = children.get(hash, value);
        return child != null ? child : labels(new String[] {value});
    }

    /** {@link #labels(String...)} for a metric with two labels, without the varargs array. */
    public final C labels(String value1, String value2) {
        if (labelNames.length != 2) {
            throw wrongValueCount(new String[] {value1, value2});
        }
        int hash = spread(31 * (31 + hash(value1, 0)) + hash(value2, 1));
        C child = children.get(hash, value1, value2);
        return child != null ? child : labels(new String[] {value1, value2});
    }

    /** {@link #labels(String...)} for a metric with three labels, without the varargs array. */
    public final C labels(String value1, String value2, String value3) {
        if (labelNames.length != 3) {
            throw wrongValueCount(new String[] {value1, value2, value3});
        }
        int hash = spread(31 * (31 * (31 + hash(value1, 0)) + hash(value2, 1)) + hash(value3, 2));
        C child = children.get(hash, value1, value2, value3);
        return child != null ? child : labels(new String[] {value1, value2, value3});
    }

    /** Removes the child with these label values, if there is one, which makes room under the cardinality limit. */
    public final void remove(String... labelValues) {
        if (labelNames.length == 0) {
            throw new IllegalArgumentException("metric " + name + " has no labels, so it has no children to remove");
        }
        children.remove(checkedHash(labelValues), labelValues);
    }

    /** Removes every child of a labelled metric; the metric then shows only its HELP and TYPE. */
    public final void clear() {
        if (labelNames.length > 0) {
            children.clear();
        }
    }

    /** The family name, as exposed: without {@code _total} for counters, with the unit if one was given. */
    public final String name() {
        return name;
    }

    @Override
    public final List<MetricFamily> collect() {
        if (labelNames.length == 0) {
            noLabelsChild();
        }
        MetricFamily family = newFamily(name, unit);
        children.forEach(child -> addPoint(family, child));
        return List.of(family);
    }

    /** The only child of a metric without labels, created on first use (subclass fields are set by then). */
    final C noLabelsChild() {
        C child = noLabelsChild;
        if (child == null) {
            if (labelNames.length > 0) {
                throw new IllegalArgumentException("metric " + name + " has labels " + Arrays.toString(labelNames)
                        + ": call labels(...) first");
            }
            // A race here is harmless: labels() returns the same child to every thread.
            child = labels();
            noLabelsChild = child;
        }
        return child;
    }

    /** The metric's name, which registration errors quote. */
    @Override
    public String toString() {
        return name;
    }

    private MetricFamily newFamily(String name, String unit) {
        return families.create(name, help, unit, List.of(labelNames));
    }

    /** Adds one child's current values to the family. */
    abstract void addPoint(MetricFamily family, C child);

    /** The same hash as the fixed-count {@code labels} methods compute. */
    private int checkedHash(String[] values) {
        if (values.length != labelNames.length) {
            throw wrongValueCount(values);
        }
        int h = 1;
        for (int i = 0; i < values.length; i++) {
            h = 31 * h + hash(values[i], i);
        }
        return spread(h);
    }

    private int hash(String value, int i) {
        if (value == null) {
            throw new NullPointerException("metric " + name + ": value of label " + labelNames[i] + " is null");
        }
        return value.hashCode();
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private IllegalArgumentException wrongValueCount(String[] values) {
        return new IllegalArgumentException("metric " + name + " has " + labelNames.length + " label names "
                + Arrays.toString(labelNames) + " but got " + values.length + " values " + Arrays.toString(values));
    }

    static double nowSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Makes an empty family of one metric type, such as {@code CounterMetricFamily::new}. */
    @FunctionalInterface
    interface FamilyFactory {
        MetricFamily create(String name, String help, String unit, List<String> labelNames);
    }

    /**
     * What every metric builder has: name, help, unit and label names.
     *
     * @param <B> the builder itself
     * @param <M> the metric it builds
     */
    public abstract static class Builder<B extends Builder<B, M>, M extends Metric<?>> {
        String name;
        String help;
        String unit = "";
        String[] labelNames = NO_VALUES;
        ValueStore store;
        int cardinalityLimit;
        /** The metric settings of the registry being registered with, for what the code left unset; null for none. */
        Function<String, String> settings;
        private final Function<B, M> metric;

        /** @param metric the metric's constructor */
        Builder(Function<B, M> metric) {
            this.metric = metric;
        }

        /** Where the values live, instead of the process-wide choice; for tests and benchmarks. */
        B valueStore(ValueStore store) {
            this.store = store;
            return self();
        }

        /** The metric name, such as {@code http_requests_total}. Required. */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /** The help text. Required. */
        public B help(String help) {
            this.help = help;
            return self();
        }

        /** The unit, such as {@code seconds}; appended to the name unless it already ends with it. */
        public B unit(String unit) {
            this.unit = Objects.requireNonNull(unit, "unit");
            return self();
        }

        /** The label names; every child has one value for each. */
        public B labelNames(String... labelNames) {
            this.labelNames = Objects.requireNonNull(labelNames, "label names").clone();
            return self();
        }

        /**
         * At most this many children (label sets), the overflow child included; past it, new label sets are
         * recorded in the overflow child, whose every label is {@link Metric#OVERFLOW_LABEL_VALUE}, so totals stay
         * exact. Default: the registry's ({@link CollectorRegistry#setCardinalityLimit}, 2000 unless set);
         * {@code Integer.MAX_VALUE} for none.
         *
         * @throws IllegalArgumentException if it is below 1
         */
        public B cardinalityLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("metric " + name + ": the cardinality limit must be at least 1, got "
                        + limit);
            }
            this.cardinalityLimit = limit;
            return self();
        }

        /** Builds the metric and registers it with the default registry. */
        public M register() {
            return register(CollectorRegistry.defaultRegistry());
        }

        /**
         * Builds the metric and registers it with this registry. A histogram's or summary's settings that the code
         * left unset come from the registry's metric settings ({@link CollectorRegistry#setMetricSettings}).
         */
        public M register(CollectorRegistry registry) {
            settings = registry.metricSettings();
            M built = metric.apply(self());
            registry.register(built);
            return built;
        }

        /** A gauge's multi-process mode, checked, for the metric of this name; null for other metrics. */
        String gaugeMode(String metricName) {
            return null;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }
}
