package io.promlet;

import io.promlet.internal.ExemplarSampler;
import io.promlet.internal.TraceContext;
import io.promlet.internal.Value;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * A value that only goes up: requests served, errors, bytes sent. The family name drops a trailing
 * {@code _total}; the exposed sample always has it.
 *
 * <pre>{@code
 * Counter requests = Counter.builder().name("requests_total").help("Requests.")
 *         .labelNames("path", "status").register(registry);
 * requests.labels("/", "200").inc();
 * }</pre>
 *
 * <p>While a sampled OpenTelemetry span is current (or the servlet filter measures a request with a sampled
 * {@code traceparent}), an increment may become the child's exemplar, at most one new one every 7 s; see
 * {@link Builder#exemplars(boolean)}.
 */
public final class Counter extends Metric<Counter.Child> {
    /** Null when automatic exemplars are off, or the values are shared with other processes. */
    private final TraceContext trace;

    private Counter(Builder builder) {
        super(builder, CounterMetricFamily::new, Child::new);
        // The multi-process mode shows no exemplars, so there is nothing to sample for.
        boolean exemplars = builder.exemplars != null ? builder.exemplars
                : !Boolean.FALSE.equals(new MetricSettings(name(), builder.settings).bool("exemplars"));
        this.trace = exemplars && !store.shared() ? TraceContext.current() : null;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds one (metric without labels). */
    public void inc() {
        noLabelsChild().inc();
    }

    /** Adds a non-negative amount (metric without labels). */
    public void inc(double amount) {
        noLabelsChild().inc(amount);
    }

    /** Adds an amount and records an exemplar, such as a trace id (metric without labels). */
    public void inc(double amount, Map<String, String> exemplarLabels) {
        noLabelsChild().inc(amount, exemplarLabels);
    }

    /** The current count (metric without labels). */
    public double get() {
        return noLabelsChild().get();
    }

    /** Runs the work and counts one if it throws (metric without labels). */
    public <E extends Exception> void countExceptions(ThrowingRunnable<E> work) throws E {
        noLabelsChild().countExceptions(work);
    }

    /** Runs the work, returns its result, and counts one if it throws (metric without labels). */
    public <T, E extends Exception> T countExceptions(ThrowingCallable<T, E> work) throws E {
        return noLabelsChild().countExceptions(work);
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        ((CounterMetricFamily) family).add(
                new CounterMetricFamily.Point(child.labels, child.get(), child.exemplar, child.created));
    }

    /** The counter of one combination of label values. Thread-safe; {@code inc} is lock-free and allocates nothing. */
    public static final class Child {
        private static final VarHandle EXEMPLAR;

        static {
            try {
                EXEMPLAR = MethodHandles.lookup().findVarHandle(Child.class, "exemplar", Exemplar.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final String metricName;
        private final TraceContext trace;
        private final Labels labels;
        private final Value value;
        private final double created = nowSeconds();
        private volatile Exemplar exemplar;

        private Child(Counter counter, Labels labels) {
            this.metricName = counter.name();
            this.trace = counter.trace;
            this.labels = labels;
            this.value = counter.store.counter(counter.name(), counter.name() + "_total", labels);
        }

        /** Adds one. */
        public void inc() {
            value.add(1);
            if (trace != null && trace.sampled()) {
                sampleExemplar(1);
            }
        }

        /**
         * Adds an amount.
         *
         * @throws IllegalArgumentException if the amount is negative or NaN
         */
        public void inc(double amount) {
            add(amount);
            if (trace != null && trace.sampled()) {
                sampleExemplar(amount);
            }
        }

        private void sampleExemplar(double amount) {
            Exemplar kept = exemplar;
            Exemplar replacement = ExemplarSampler.replacement(kept, amount, System.currentTimeMillis(), trace);
            if (replacement != null) {
                // Of two threads that found the slot due, one wins: at most one new exemplar per interval.
                EXEMPLAR.compareAndSet(this, kept, replacement);
            }
        }

        /** Adds an amount and records an exemplar, shown in OpenMetrics and protobuf. */
        public void inc(double amount, Map<String, String> exemplarLabels) {
            Exemplar e = Exemplar.of(exemplarLabels, amount);
            add(amount);
            exemplar = e;
        }

        private void add(double amount) {
            if (!(amount >= 0)) {
                throw new IllegalArgumentException("counter " + metricName + " cannot be incremented by " + amount);
            }
            value.add(amount);
        }

        /** The current count. */
        public double get() {
            return value.get();
        }

        /** Runs the work and counts one if it throws; the exception is rethrown unchanged. */
        public <E extends Exception> void countExceptions(ThrowingRunnable<E> work) throws E {
            countExceptions(Throwable.class, work);
        }

        /** Runs the work, returns its result, and counts one if it throws; the exception is rethrown unchanged. */
        public <T, E extends Exception> T countExceptions(ThrowingCallable<T, E> work) throws E {
            return countExceptions(Throwable.class, work);
        }

        /** Runs the work and counts one if it throws an exception of this type. */
        public <E extends Exception> void countExceptions(Class<? extends Throwable> type, ThrowingRunnable<E> work) throws E {
            countExceptions(type, () -> {
                work.run();
                return null;
            });
        }

        /** Runs the work, returns its result, and counts one if it throws an exception of this type. */
        public <T, E extends Exception> T countExceptions(Class<? extends Throwable> type, ThrowingCallable<T, E> work) throws E {
            try {
                return work.call();
            } catch (Throwable t) {
                if (type.isInstance(t)) {
                    inc();
                }
                throw t;
            }
        }
    }

    /** Builds a {@link Counter}. */
    public static final class Builder extends Metric.Builder<Builder, Counter> {
        /** Null until the code sets it: then {@code promlet.metric.<name>.exemplars} decides, true unless set. */
        private Boolean exemplars;

        private Builder() {
            super(Counter::new);
        }

        /**
         * Whether increments made while a sampled trace is current become exemplars ({@code trace_id},
         * {@code span_id}); true unless set. Off, an increment does nothing more than count. Exemplars given by hand,
         * {@link Child#inc(double, Map)}, are kept either way.
         */
        public Builder exemplars(boolean exemplars) {
            this.exemplars = exemplars;
            return this;
        }
    }
}
