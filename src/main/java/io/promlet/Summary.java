package io.promlet;

import io.promlet.internal.QuantileWindow;
import io.promlet.internal.Value;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.SummaryMetricFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts observations, such as request durations or response sizes, and adds them up; optionally also tracks
 * quantiles over a sliding time window.
 *
 * <pre>{@code
 * Summary latency = Summary.builder().name("latency_seconds").help("Request latency.")
 *         .quantile(0.5).quantile(0.99)
 *         .labelNames("path").register(registry);
 * try (Timer t = latency.labels("/").startTimer()) {
 *     handle(request);
 * }
 * }</pre>
 *
 * <p>{@code _count} and {@code _sum} cover every observation since the child was created. The quantiles
 * cover the last {@code maxAgeSeconds} (5 minutes unless set), moving in {@code ageBuckets} steps (5 unless set):
 * older observations drop out one step at a time. The q-quantile of the {@code n} observations in the window is
 * the one at rank {@code max(1, ceil(q·n))} in ascending order (nearest rank), and the exposed value is within
 * 0.5% of it, relatively, for magnitudes from about 1.5e-11 to 4.5e15; values beyond that range are counted as
 * the nearest end of it. A quantile is NaN while the window is empty. Without quantiles a summary tracks only
 * count and sum.
 */
public final class Summary extends ObservingMetric<Summary.Child> {
    private final double[] quantiles;
    private final long maxAgeNanos;
    private final int ageBuckets;
    private final LongSupplier nanoClock;

    private Summary(Builder builder) {
        super(builder, SummaryMetricFamily::new, Child::new);
        // Quantiles the code left unset come from the registry's metric settings (promlet.metric.<name>.quantiles).
        this.quantiles = builder.quantiles.isEmpty()
                ? checkedQuantiles(name(), new MetricSettings(name(), builder.settings).numbers("quantiles", new double[0]))
                : checkedQuantiles(name(), builder.quantiles.stream().mapToDouble(Double::doubleValue).toArray());
        if (store.shared() && quantiles.length > 0) {
            throw new IllegalArgumentException("summary " + name() + ": quantiles are not supported in the multi-process "
                    + "mode, where each process would have its own; use a histogram, or a summary without quantiles");
        }
        if (builder.maxAgeSeconds <= 0) {
            throw new IllegalArgumentException("summary " + name() + ": maxAgeSeconds must be positive, got "
                    + builder.maxAgeSeconds);
        }
        if (builder.ageBuckets <= 0) {
            throw new IllegalArgumentException("summary " + name() + ": ageBuckets must be positive, got "
                    + builder.ageBuckets);
        }
        this.maxAgeNanos = TimeUnit.SECONDS.toNanos(builder.maxAgeSeconds);
        this.ageBuckets = builder.ageBuckets;
        this.nanoClock = builder.nanoClock;
    }

    private static double[] checkedQuantiles(String name, double[] quantiles) {
        double[] sorted = new double[quantiles.length];
        for (int i = 0; i < sorted.length; i++) {
            double q = quantiles[i];
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("summary " + name + ": quantile " + q + " is not between 0 and 1");
            }
            sorted[i] = q;
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("summary " + name + ": quantile " + sorted[i] + " given twice");
            }
        }
        return sorted;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Records one observation (metric without labels). */
    public void observe(double amount) {
        noLabelsChild().observe(amount);
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        double[] values = child.window == null ? new double[0] : child.window.quantiles(quantiles);
        ((SummaryMetricFamily) family).add(new SummaryMetricFamily.Point(child.labels, (long) child.count.get(),
                child.sum.get(), quantiles.clone(), values, child.created));
    }

    /** The summary of one combination of label values. Thread-safe; {@code observe} is lock-free and allocates nothing. */
    public static final class Child implements Observer {
        private final String metricName;
        private final Labels labels;
        private final Value count;
        private final Value sum;
        private final QuantileWindow window;
        private final double created = nowSeconds();

        private Child(Summary summary, Labels labels) {
            this.metricName = summary.name();
            this.labels = labels;
            this.count = summary.store.counter(summary.name(), summary.name() + "_count", labels);
            this.sum = summary.store.counter(summary.name(), summary.name() + "_sum", labels);
            this.window = summary.quantiles.length == 0 ? null
                    : new QuantileWindow(summary.maxAgeNanos, summary.ageBuckets, summary.nanoClock);
        }

        /**
         * Records one observation.
         *
         * @throws IllegalArgumentException if the amount is NaN
         */
        @Override
        public void observe(double amount) {
            if (Double.isNaN(amount)) {
                throw new IllegalArgumentException("summary " + metricName + " cannot observe " + amount);
            }
            count.add(1);
            sum.add(amount);
            if (window != null) {
                window.observe(amount);
            }
        }
    }

    /** Builds a {@link Summary}. */
    public static final class Builder extends Metric.Builder<Builder, Summary> {
        private final List<Double> quantiles = new ArrayList<>();
        private long maxAgeSeconds = TimeUnit.MINUTES.toSeconds(5);
        private int ageBuckets = 5;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
            super(Summary::new);
        }

        /** Adds a quantile to track, such as 0.5 or 0.99: between 0 and 1 exclusive, each only once. */
        public Builder quantile(double quantile) {
            quantiles.add(quantile);
            return this;
        }

        /** How long an observation counts towards the quantiles; 5 minutes unless set. */
        public Builder maxAgeSeconds(long maxAgeSeconds) {
            this.maxAgeSeconds = maxAgeSeconds;
            return this;
        }

        /** In how many steps the quantile window moves on; 5 unless set. More steps cost more memory. */
        public Builder ageBuckets(int ageBuckets) {
            this.ageBuckets = ageBuckets;
            return this;
        }

        /** The clock of the quantile window, for tests. */
        Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
            return this;
        }
    }
}
