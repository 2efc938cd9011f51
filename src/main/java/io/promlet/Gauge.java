package io.promlet;

import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A value that goes up and down: queue size, temperature, requests in progress.
 *
 * <pre>{@code
 * Gauge queueSize = Gauge.builder().name("queue_size").help("Jobs waiting.").register(registry);
 * queueSize.inc();
 * queueSize.setFunction(queue::size);   // or read at scrape time
 * try (var t = inFlight.trackInProgress()) { handle(); }
 * }</pre>
 */
public final class Gauge extends Metric<Gauge.Child> {
    private Gauge(Builder builder) {
        super(builder);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds one (metric without labels). */
    public void inc() {
        noLabelsChild().inc();
    }

    /** Adds an amount (metric without labels). */
    public void inc(double amount) {
        noLabelsChild().inc(amount);
    }

    /** Subtracts one (metric without labels). */
    public void dec() {
        noLabelsChild().dec();
    }

    /** Subtracts an amount (metric without labels). */
    public void dec(double amount) {
        noLabelsChild().dec(amount);
    }

    /** Sets the value (metric without labels). */
    public void set(double value) {
        noLabelsChild().set(value);
    }

    /** Sets the value to the current time in seconds since the epoch (metric without labels). */
    public void setToCurrentTime() {
        noLabelsChild().setToCurrentTime();
    }

    /** Reads the value from this function at every scrape instead (metric without labels). */
    public void setFunction(DoubleSupplier function) {
        noLabelsChild().setFunction(function);
    }

    /** Adds one now and subtracts it when the returned handle is closed (metric without labels). */
    public InProgress trackInProgress() {
        return noLabelsChild().trackInProgress();
    }

    /** The current value (metric without labels). */
    public double get() {
        return noLabelsChild().get();
    }

    @Override
    MetricFamily newFamily(String name, String unit) {
        return new GaugeMetricFamily(name, help(), unit, List.of(labelNames()));
    }

    @Override
    Child newChild(Labels labels) {
        return new Child(this, labels);
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        ((GaugeMetricFamily) family).add(new GaugeMetricFamily.Point(child.labels, child.get()));
    }

    /** An operation in progress, counted by a gauge until it is closed. */
    @FunctionalInterface
    public interface InProgress extends AutoCloseable {
        /** Subtracts the one that {@code trackInProgress()} added. */
        @Override
        void close();
    }

    /** The gauge of one combination of label values. Thread-safe; updates are lock-free and allocate nothing. */
    public static final class Child {
        private final Labels labels;
        private final Value value;
        private final InProgress inProgress = this::dec;
        private volatile DoubleSupplier function;

        private Child(Gauge gauge, Labels labels) {
            this.labels = labels;
            this.value = gauge.store.gauge(gauge.name(), gauge.name(), labels);
        }

        /** Adds one. */
        public void inc() {
            value.add(1);
        }

        /** Adds an amount (negative to subtract). */
        public void inc(double amount) {
            value.add(amount);
        }

        /** Subtracts one. */
        public void dec() {
            value.add(-1);
        }

        /** Subtracts an amount. */
        public void dec(double amount) {
            value.add(-amount);
        }

        /** Sets the value. */
        public void set(double v) {
            value.set(v);
        }

        /** Sets the value to the current time in seconds since the epoch. */
        public void setToCurrentTime() {
            value.set(nowSeconds());
        }

        /** Reads the value from this function at every scrape; null goes back to the stored value. */
        public void setFunction(DoubleSupplier function) {
            this.function = function;
        }

        /**
         * Adds one now and subtracts it when the returned handle is closed. The handle is shared and allocates
         * nothing:
         *
         * <pre>{@code
         * try (var t = inFlight.labels("GET").trackInProgress()) { handle(); }
         * }</pre>
         */
        public InProgress trackInProgress() {
            inc();
            return inProgress;
        }

        /** The current value, from the function if one is set. */
        public double get() {
            DoubleSupplier f = function;
            return f != null ? f.getAsDouble() : value.get();
        }
    }

    /** Builds a {@link Gauge}. */
    public static final class Builder extends Metric.Builder<Builder, Gauge> {
        private Builder() {
        }

        @Override
        Gauge create() {
            return new Gauge(this);
        }
    }
}
