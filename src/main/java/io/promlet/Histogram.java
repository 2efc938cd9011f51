package io.promlet;

import io.promlet.internal.Value;
import io.promlet.internal.ValueStore;
import io.promlet.model.Exemplar;
import io.promlet.model.FloatFormat;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts observations in configurable buckets, for latencies and sizes that Prometheus aggregates across
 * instances with {@code histogram_quantile}.
 *
 * <pre>{@code
 * Histogram jobs = Histogram.builder().name("job_duration_seconds").help("Job time.")
 *         .labelNames("job_name").buckets(1, 2, 3, 10, 20, 50, 100).register(registry);
 * jobs.labels("test_job").observe(4.7);
 * jobs.labels("test_job").time(() -> runJob());
 * }</pre>
 *
 * <p>Each bucket keeps its own non-cumulative count; a scrape adds them up, so {@code _count} always equals
 * the {@code +Inf} bucket and the buckets are cumulative, whatever other threads observe meanwhile.
 */
public final class Histogram extends Metric<Histogram.Child> {
    /** The default buckets, tuned for request latencies in seconds; unmodifiable. */
    public static final List<Double> DEFAULT_BUCKETS =
            List.of(.005, .01, .025, .05, .075, .1, .25, .5, .75, 1.0, 2.5, 5.0, 7.5, 10.0, Double.POSITIVE_INFINITY);

    private final double[] upperBounds;

    private Histogram(Builder builder) {
        super(builder);
        this.upperBounds = validBuckets(name(), builder.buckets);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Records an observation (metric without labels). */
    public void observe(double value) {
        noLabelsChild().observe(value);
    }

    /** Records an observation with an exemplar, such as a trace id (metric without labels). */
    public void observe(double value, Map<String, String> exemplarLabels) {
        noLabelsChild().observe(value, exemplarLabels);
    }

    /** Starts a timer that observes the elapsed seconds when closed (metric without labels). */
    public Timer startTimer() {
        return noLabelsChild().startTimer();
    }

    /** Runs the work and observes its duration in seconds, also when it throws (metric without labels). */
    public <E extends Exception> void time(ThrowingRunnable<E> work) throws E {
        noLabelsChild().time(work);
    }

    /** Runs the work, observes its duration in seconds, and returns its result (metric without labels). */
    public <T, E extends Exception> T time(ThrowingCallable<T, E> work) throws E {
        return noLabelsChild().time(work);
    }

    /** {@code count} buckets {@code start, start + width, ...}. */
    public static double[] linearBuckets(double start, double width, int count) {
        if (count < 1 || !(width > 0)) {
            throw new IllegalArgumentException("linear buckets need count >= 1 and width > 0, got count " + count + ", width " + width);
        }
        double[] buckets = new double[count];
        for (int i = 0; i < count; i++) {
            buckets[i] = start + i * width;
        }
        return buckets;
    }

    /** {@code count} buckets {@code start, start * factor, start * factor^2, ...}. */
    public static double[] exponentialBuckets(double start, double factor, int count) {
        if (count < 1 || !(start > 0) || !(factor > 1)) {
            throw new IllegalArgumentException("exponential buckets need count >= 1, start > 0 and factor > 1, got count "
                    + count + ", start " + start + ", factor " + factor);
        }
        double[] buckets = new double[count];
        for (int i = 0; i < count; i++) {
            buckets[i] = start * Math.pow(factor, i);
        }
        return buckets;
    }

    private static double[] validBuckets(String name, double[] buckets) {
        if (buckets.length == 0) {
            throw new IllegalArgumentException("histogram " + name + ": the bucket list is empty");
        }
        for (int i = 0; i < buckets.length; i++) {
            if (Double.isNaN(buckets[i])) {
                throw new IllegalArgumentException("histogram " + name + ": bucket " + i + " is NaN");
            }
            if (i > 0 && !(buckets[i] > buckets[i - 1])) {
                throw new IllegalArgumentException("histogram " + name + ": buckets must be sorted and distinct, but "
                        + FloatFormat.format(buckets[i]) + " follows " + FloatFormat.format(buckets[i - 1]));
            }
        }
        if (buckets[buckets.length - 1] == Double.POSITIVE_INFINITY) {
            return buckets.clone();
        }
        double[] withInf = Arrays.copyOf(buckets, buckets.length + 1);
        withInf[buckets.length] = Double.POSITIVE_INFINITY;
        return withInf;
    }

    @Override
    MetricFamily newFamily(String name, String unit) {
        return new HistogramMetricFamily(name, help(), unit, List.of(labelNames()));
    }

    @Override
    Child newChild(Labels labels) {
        return new Child(this, labels);
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        ((HistogramMetricFamily) family).add(child.snapshot());
    }

    /** The histogram of one combination of label values. Thread-safe; {@code observe} is lock-free and allocates nothing. */
    public static final class Child {
        private final String metricName;
        private final Labels labels;
        private final double[] upperBounds;
        private final Value[] bucketCounts;
        private final Value sum;
        private final double created = nowSeconds();
        private volatile AtomicReferenceArray<Exemplar> exemplars;

        private Child(Histogram histogram, Labels labels) {
            this.metricName = histogram.name();
            this.labels = labels;
            this.upperBounds = histogram.upperBounds;
            this.bucketCounts = new Value[upperBounds.length];
            for (int i = 0; i < upperBounds.length; i++) {
                bucketCounts[i] = histogram.store.counter(metricName, metricName + "_bucket",
                        labels.plus("le", FloatFormat.format(upperBounds[i])));
            }
            this.sum = histogram.store.counter(metricName, metricName + "_sum", labels);
        }

        /**
         * Records an observation.
         *
         * @throws IllegalArgumentException if the value is NaN
         */
        public void observe(double value) {
            bucketCounts[bucketIndex(value)].add(1);
            sum.add(value);
        }

        /** Records an observation and keeps it as its bucket's exemplar, shown in OpenMetrics. */
        public void observe(double value, Map<String, String> exemplarLabels) {
            Exemplar exemplar = Exemplar.of(exemplarLabels, value);
            int i = bucketIndex(value);
            bucketCounts[i].add(1);
            sum.add(value);
            AtomicReferenceArray<Exemplar> all = exemplars;
            if (all == null) {
                synchronized (this) {
                    all = exemplars;
                    if (all == null) {
                        all = new AtomicReferenceArray<>(upperBounds.length);
                        exemplars = all;
                    }
                }
            }
            all.set(i, exemplar);
        }

        /** Starts a timer that observes the elapsed seconds when closed. */
        public Timer startTimer() {
            return new Timer(this::observe);
        }

        /** Runs the work and observes its duration in seconds, also when it throws. */
        public <E extends Exception> void time(ThrowingRunnable<E> work) throws E {
            Timer.time(this::observe, () -> {
                work.run();
                return null;
            });
        }

        /** Runs the work, observes its duration in seconds, also when it throws, and returns its result. */
        public <T, E extends Exception> T time(ThrowingCallable<T, E> work) throws E {
            return Timer.time(this::observe, work);
        }

        private int bucketIndex(double value) {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("histogram " + metricName + " cannot observe NaN");
            }
            if (upperBounds.length > 16) {
                int i = Arrays.binarySearch(upperBounds, value);
                return i >= 0 ? i : -i - 1;
            }
            int i = 0;
            while (value > upperBounds[i]) {
                i++;
            }
            return i;
        }

        private HistogramMetricFamily.Point snapshot() {
            long[] cumulative = new long[upperBounds.length];
            long running = 0;
            for (int i = 0; i < cumulative.length; i++) {
                running += (long) bucketCounts[i].get();
                cumulative[i] = running;
            }
            AtomicReferenceArray<Exemplar> all = exemplars;
            Exemplar[] exemplarSnapshot = null;
            if (all != null) {
                exemplarSnapshot = new Exemplar[upperBounds.length];
                for (int i = 0; i < exemplarSnapshot.length; i++) {
                    exemplarSnapshot[i] = all.get(i);
                }
            }
            return new HistogramMetricFamily.Point(labels, upperBounds, cumulative, sum.get(), exemplarSnapshot, created);
        }
    }

    /** Builds a {@link Histogram}. */
    public static final class Builder extends Metric.Builder<Builder, Histogram> {
        private double[] buckets = DEFAULT_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray();

        private Builder() {
        }

        /** The bucket upper bounds, ascending; {@code +Inf} is added if missing. */
        public Builder buckets(double... upperBounds) {
            this.buckets = upperBounds.clone();
            return this;
        }

        /** {@code count} linear buckets, see {@link Histogram#linearBuckets}. */
        public Builder linearBuckets(double start, double width, int count) {
            return buckets(Histogram.linearBuckets(start, width, count));
        }

        /** {@code count} exponential buckets, see {@link Histogram#exponentialBuckets}. */
        public Builder exponentialBuckets(double start, double factor, int count) {
            return buckets(Histogram.exponentialBuckets(start, factor, count));
        }

        @Override
        Histogram create() {
            return new Histogram(this);
        }
    }
}
