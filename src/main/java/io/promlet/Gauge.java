package io.promlet;

import io.promlet.internal.Value;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

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
        super(builder, GaugeMetricFamily::new, Child::new);
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

    /**
     * How the multi-process mode combines the values that several processes set for the same gauge into the
     * one a scrape shows. The {@code LIVE} modes count only processes that are alive; the others keep the
     * last values of processes that have exited. Ignored unless the multi-process mode is on.
     */
    public enum MultiProcessMode {
        /**
         * One series per process, with a {@code pid} label, kept after the process ends. The default, as in the
         * Python client; where workers restart, {@link #LIVEALL} keeps the number of series bounded.
         */
        ALL,
        /** One series per live process, with a {@code pid} label. */
        LIVEALL,
        /** The smallest value of any process. */
        MIN,
        /** The smallest value of any live process. */
        LIVEMIN,
        /** The largest value of any process. */
        MAX,
        /** The largest value of any live process. */
        LIVEMAX,
        /** The sum over all processes. */
        SUM,
        /** The sum over live processes, such as requests in progress. */
        LIVESUM,
        /** The value set last by any process. */
        MOSTRECENT,
        /** The value set last by any live process. */
        LIVEMOSTRECENT;

        /** The mode's name as the Python client writes it, such as {@code livesum}. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static MultiProcessMode parse(String gauge, String label) {
            for (MultiProcessMode mode : values()) {
                if (mode.label().equalsIgnoreCase(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("gauge " + gauge + ": unknown multiprocess mode \"" + label
                    + "\"; the modes are " + Arrays.stream(values()).map(MultiProcessMode::label)
                    .collect(Collectors.toList()));
        }
    }

    /** The gauge of one combination of label values. Thread-safe; updates are lock-free and allocate nothing. */
    public static final class Child {
        private final Gauge gauge;
        private final Labels labels;
        private final Value value;
        private final InProgress inProgress = this::dec;
        private volatile DoubleSupplier function;

        private Child(Gauge gauge, Labels labels) {
            this.gauge = gauge;
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

        /**
         * Reads the value from this function at every scrape; null goes back to the stored value.
         *
         * @throws IllegalArgumentException in the multi-process mode, where a scrape reads only the files
         */
        public void setFunction(DoubleSupplier function) {
            if (gauge.store.shared()) {
                throw new IllegalArgumentException("gauge " + gauge.name() + ": setFunction is not supported in the "
                        + "multi-process mode, where scrapes read values from files; set the value instead");
            }
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
        private String multiProcessMode = MultiProcessMode.ALL.label();

        private Builder() {
            super(Gauge::new);
        }

        /**
         * How the multi-process mode combines the values of several processes; {@link MultiProcessMode#ALL}
         * unless set. Ignored when the mode is off.
         */
        public Builder multiProcessMode(MultiProcessMode mode) {
            return multiProcessMode(mode.label());
        }

        /**
         * The multi-process mode by its Python client name: {@code all}, {@code liveall}, {@code min},
         * {@code livemin}, {@code max}, {@code livemax}, {@code sum}, {@code livesum}, {@code mostrecent} or
         * {@code livemostrecent}. An unknown name fails when the gauge is built.
         */
        public Builder multiProcessMode(String mode) {
            this.multiProcessMode = Objects.requireNonNull(mode, "multiprocess mode");
            return this;
        }

        @Override
        String gaugeMode(String metricName) {
            return MultiProcessMode.parse(metricName, multiProcessMode).label();
        }
    }
}
