package io.promlet;

import io.promlet.internal.ExemplarSampler;
import io.promlet.internal.FixedSchemaNativeCounts;
import io.promlet.internal.NativeBucketValues;
import io.promlet.internal.NativeHistogramCounts;
import io.promlet.internal.TraceContext;
import io.promlet.internal.Value;
import io.promlet.model.Exemplar;
import io.promlet.model.FloatFormat;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts observations in buckets, for latencies and sizes that Prometheus aggregates across instances with
 * {@code histogram_quantile}: classic buckets with fixed upper bounds, and native (exponential) buckets that
 * adapt to the values, which a Prometheus server gets when it scrapes the protobuf format.
 *
 * <pre>{@code
 * Histogram jobs = Histogram.builder().name("job_duration_seconds").help("Job time.")
 *         .labelNames("job_name").buckets(1, 2, 3, 10, 20, 50, 100).register(registry);
 * jobs.labels("test_job").observe(4.7);
 * jobs.labels("test_job").time(() -> runJob());
 *
 * Histogram latency = Histogram.builder().name("latency_seconds").help("Latency.")
 *         .nativeOnly().nativeMaxNumberOfBuckets(100).register(registry);
 * }</pre>
 *
 * <p>By default a histogram has both (as client_java's does): the classic buckets for the text formats and
 * servers without native histograms, and native buckets at schema 5 (each power of two split into 32 buckets),
 * coarsened when there would be more than 160 of them. Each bucket keeps its own non-cumulative count; a scrape
 * adds them up, so {@code _count} always equals the {@code +Inf} bucket and the zero bucket plus the native
 * buckets, and the buckets are cumulative, whatever other threads observe meanwhile.
 *
 * <p>In the multi-process mode the default is the same, and the native settings apply, but each process counts at
 * the initial schema without ever reducing it; a scrape adds the processes' buckets up by index and only then reduces
 * the schema to the bucket limit, so no observation is lost. A reset duration is an error there: the counts are
 * shared with other processes and never restart.
 *
 * <p>While a sampled OpenTelemetry span is current (or the servlet filter measures a request with a sampled
 * {@code traceparent}), an observation may become its classic bucket's exemplar (the {@code +Inf} one of a
 * native-only histogram), at most one new one per bucket every 7 s, the larger value preferred; see
 * {@link Builder#exemplars(boolean)}.
 */
public final class Histogram extends ObservingMetric<Histogram.Child> {
    /** The default buckets, tuned for request latencies in seconds; unmodifiable. */
    public static final List<Double> DEFAULT_BUCKETS =
            List.of(.005, .01, .025, .05, .075, .1, .25, .5, .75, 1.0, 2.5, 5.0, 7.5, 10.0, Double.POSITIVE_INFINITY);

    private final double[] upperBounds;
    /** Null for a classic-only histogram. */
    private final NativeSettings nativeSettings;
    /** Null when automatic exemplars are off, or the values are shared with other processes. */
    private final TraceContext trace;

    private Histogram(Builder builder) {
        super(builder, HistogramMetricFamily::new, Child::new);
        if (builder.nativeOnly && builder.bucketsGiven) {
            throw new IllegalArgumentException("histogram " + name() + ": a native-only histogram has no classic buckets to set");
        }
        if (builder.classicOnly && builder.nativeSettingsGiven()) {
            throw new IllegalArgumentException("histogram " + name() + ": native settings on a classic-only histogram");
        }
        // What the code left unset comes from the registry's metric settings (promlet.metric.<name>.<key>).
        MetricSettings configured = new MetricSettings(name(), builder.settings);
        boolean modeGiven = builder.nativeOnly || builder.classicOnly;
        boolean classicOnly = builder.classicOnly
                || !modeGiven && Boolean.FALSE.equals(configured.bool("native-histogram"));
        long resetNanos = builder.nativeResetGiven ? builder.nativeResetNanos
                : configured.integer("native-reset-duration-seconds", builder.nativeResetNanos / 1_000_000_000L)
                        * 1_000_000_000L;
        if (store.shared() && !classicOnly && resetNanos > 0) {
            throw new IllegalArgumentException("histogram " + name() + ": a native reset duration is not available in the"
                    + " multi-process mode, whose counts keep their initial schema and are shared with other processes");
        }
        this.nativeSettings = classicOnly ? null : new NativeSettings(name(),
                builder.nativeSchemaGiven ? builder.nativeInitialSchema
                        : configured.integer("native-initial-schema", builder.nativeInitialSchema),
                builder.nativeMaxBucketsGiven ? builder.nativeMaxNumberOfBuckets
                        : configured.integer("native-max-number-of-buckets", builder.nativeMaxNumberOfBuckets),
                builder.nativeZeroThresholdGiven ? builder.nativeMinZeroThreshold
                        : configured.number("native-min-zero-threshold", builder.nativeMinZeroThreshold),
                resetNanos);
        double[] buckets = builder.bucketsGiven || builder.nativeOnly ? builder.buckets
                : configured.numbers("buckets", builder.buckets);
        this.upperBounds = builder.nativeOnly ? new double[] {Double.POSITIVE_INFINITY} : validBuckets(name(), buckets);
        // The multi-process mode shows no exemplars, so there is nothing to sample for.
        boolean exemplars = builder.exemplars != null ? builder.exemplars
                : !Boolean.FALSE.equals(configured.bool("exemplars"));
        this.trace = exemplars && !store.shared() ? TraceContext.current() : null;
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
    void addPoint(MetricFamily family, Child child) {
        ((HistogramMetricFamily) family).add(child.snapshot());
    }

    /** The native bucket settings, checked. */
    private static final class NativeSettings {
        final int initialSchema;
        final int maxBuckets;
        final double zeroThreshold;
        final long resetNanos;

        NativeSettings(String name, int initialSchema, int maxBuckets, double zeroThreshold, long resetNanos) {
            if (initialSchema < NativeBuckets.MIN_SCHEMA || initialSchema > NativeBuckets.MAX_SCHEMA) {
                throw new IllegalArgumentException("histogram " + name + ": native schema " + initialSchema
                        + " is outside " + NativeBuckets.MIN_SCHEMA + ".." + NativeBuckets.MAX_SCHEMA);
            }
            if (maxBuckets < 1) {
                throw new IllegalArgumentException("histogram " + name + ": the maximum number of native buckets must be at least 1, got "
                        + maxBuckets);
            }
            if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
                throw new IllegalArgumentException("histogram " + name + ": the native zero threshold must be finite and not negative, got "
                        + FloatFormat.format(zeroThreshold));
            }
            if (resetNanos < 0) {
                throw new IllegalArgumentException("histogram " + name + ": the native reset duration must not be negative");
            }
            this.initialSchema = initialSchema;
            this.maxBuckets = maxBuckets;
            this.zeroThreshold = zeroThreshold;
            this.resetNanos = resetNanos;
        }
    }

    /** The histogram of one combination of label values. Thread-safe; {@code observe} is lock-free and allocates nothing. */
    public static final class Child implements Observer {
        private final String metricName;
        private final Labels labels;
        private final TraceContext trace;
        private final double[] upperBounds;
        /** Classic-only histograms keep their counts in the metric's store, so the multi-process mode can share them. */
        private final Value[] bucketCounts;
        private final Value sum;
        /** Null for a classic-only histogram or in a shared store; else all its counts, classic buckets included. */
        private final NativeHistogramCounts counts;
        /** In a shared store, all the counts of a histogram with native buckets, kept at a fixed schema; else null. */
        private final FixedSchemaNativeCounts sharedCounts;
        /** Moves when the native counts restart at their initial schema. */
        private volatile double created = nowSeconds();
        private volatile AtomicReferenceArray<Exemplar> exemplars;

        private Child(Histogram histogram, Labels labels) {
            this.metricName = histogram.name();
            this.labels = labels;
            this.trace = histogram.trace;
            this.upperBounds = histogram.upperBounds;
            NativeSettings settings = histogram.nativeSettings;
            NativeBucketValues shared = settings == null ? null : histogram.store.nativeBuckets(metricName, labels,
                    upperBounds, settings.initialSchema, settings.zeroThreshold, settings.maxBuckets);
            if (shared != null) {
                this.sharedCounts = new FixedSchemaNativeCounts(shared, upperBounds, settings.initialSchema,
                        settings.zeroThreshold, settings.maxBuckets, histogram.store.counter(metricName, metricName + "_sum", labels));
                this.counts = null;
                this.bucketCounts = null;
                this.sum = null;
                return;
            }
            this.sharedCounts = null;
            if (settings != null) {
                boolean classic = upperBounds.length > 1;
                this.counts = new NativeHistogramCounts(classic ? upperBounds : null, settings.initialSchema,
                        settings.zeroThreshold, settings.maxBuckets, settings.resetNanos);
                this.bucketCounts = null;
                this.sum = null;
                return;
            }
            this.counts = null;
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
            if (counts != null) {
                // The native counts find the classic bucket themselves, mostly without searching the bounds.
                counts.observe(notNaN(value));
            } else if (sharedCounts != null) {
                sharedCounts.observe(notNaN(value));
            } else {
                countClassic(value, bucketIndex(value));
            }
            if (trace != null && trace.sampled()) {
                sampleExemplar(value);
            }
        }

        private void sampleExemplar(double value) {
            int i = bucketIndex(value);
            AtomicReferenceArray<Exemplar> all = exemplarSlots();
            Exemplar kept = all.get(i);
            Exemplar replacement = ExemplarSampler.replacement(kept, value, System.currentTimeMillis(), trace);
            if (replacement != null) {
                // Of two threads that found the bucket due, one wins: at most one new exemplar per interval.
                all.compareAndSet(i, kept, replacement);
            }
        }

        /** Records an observation and keeps it as its bucket's exemplar, shown in OpenMetrics and protobuf. */
        public void observe(double value, Map<String, String> exemplarLabels) {
            Exemplar exemplar = Exemplar.of(exemplarLabels, value);
            int i = bucketIndex(value);
            if (counts != null) {
                counts.observe(value);
            } else if (sharedCounts != null) {
                sharedCounts.observe(value);
            } else {
                countClassic(value, i);
            }
            exemplarSlots().set(i, exemplar);
        }

        /** Made with the first exemplar, so a child that never has one holds no slots. */
        private AtomicReferenceArray<Exemplar> exemplarSlots() {
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
            return all;
        }

        private void countClassic(double value, int classicIndex) {
            bucketCounts[classicIndex].add(1);
            sum.add(value);
        }

        private double notNaN(double value) {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("histogram " + metricName + " cannot observe NaN");
            }
            return value;
        }

        private int bucketIndex(double value) {
            notNaN(value);
            if (upperBounds.length > 16) {
                return NativeHistogramCounts.classicIndex(upperBounds, value);
            }
            int i = 0;
            while (value > upperBounds[i]) {
                i++;
            }
            return i;
        }

        private HistogramMetricFamily.Point snapshot() {
            if (counts != null || sharedCounts != null) {
                return nativeSnapshot();
            }
            long[] cumulative = new long[upperBounds.length];
            long running = 0;
            for (int i = 0; i < cumulative.length; i++) {
                running += (long) bucketCounts[i].get();
                cumulative[i] = running;
            }
            return new HistogramMetricFamily.Point(labels, upperBounds, cumulative, sum.get(), exemplarSnapshot(), created);
        }

        private HistogramMetricFamily.Point nativeSnapshot() {
            NativeHistogramCounts.Snapshot s = counts != null ? counts.snapshot() : sharedCounts.snapshot();
            long[] cumulative = new long[upperBounds.length];
            long[] classicCounts = s.classicCounts;
            if (classicCounts.length == 0) {
                cumulative[0] = s.nativeBuckets.count();
            } else {
                long running = 0;
                for (int i = 0; i < cumulative.length; i++) {
                    running += classicCounts[i];
                    cumulative[i] = running;
                }
            }
            double createdBefore = created;
            if (s.restarted) {
                created = nowSeconds();
            }
            return new HistogramMetricFamily.Point(labels, upperBounds, cumulative, s.sum, exemplarSnapshot(), createdBefore,
                    s.nativeBuckets);
        }

        private Exemplar[] exemplarSnapshot() {
            AtomicReferenceArray<Exemplar> all = exemplars;
            Exemplar[] exemplarSnapshot = null;
            if (all != null) {
                exemplarSnapshot = new Exemplar[upperBounds.length];
                for (int i = 0; i < exemplarSnapshot.length; i++) {
                    exemplarSnapshot[i] = all.get(i);
                }
            }
            return exemplarSnapshot;
        }
    }

    /** Builds a {@link Histogram}. */
    public static final class Builder extends Metric.Builder<Builder, Histogram> {
        private double[] buckets = DEFAULT_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray();
        private boolean bucketsGiven;
        private boolean nativeOnly;
        private boolean classicOnly;
        private boolean nativeSchemaGiven;
        private boolean nativeMaxBucketsGiven;
        private boolean nativeZeroThresholdGiven;
        private boolean nativeResetGiven;
        private int nativeInitialSchema = 5;
        private int nativeMaxNumberOfBuckets = 160;
        private double nativeMinZeroThreshold = 0x1p-128;
        private long nativeResetNanos;
        /** Null until the code sets it: then {@code promlet.metric.<name>.exemplars} decides, true unless set. */
        private Boolean exemplars;

        private Builder() {
            super(Histogram::new);
        }

        /**
         * Whether observations made while a sampled trace is current become exemplars ({@code trace_id},
         * {@code span_id}) of their buckets; true unless set. Off, an observation does nothing more than count.
         * Exemplars given by hand, {@link Child#observe(double, Map)}, are kept either way.
         */
        public Builder exemplars(boolean exemplars) {
            this.exemplars = exemplars;
            return this;
        }

        /** The bucket upper bounds, ascending; {@code +Inf} is added if missing. */
        public Builder buckets(double... upperBounds) {
            this.buckets = upperBounds.clone();
            this.bucketsGiven = true;
            return this;
        }

        /**
         * Native buckets only: the text formats then show just {@code _count}, {@code _sum} and the {@code +Inf}
         * bucket, and the buckets reach a server through the protobuf format.
         *
         * <pre>{@code
         * Histogram.builder().name("latency_seconds").help("Latency.").nativeOnly().register();
         * }</pre>
         */
        public Builder nativeOnly() {
            this.nativeOnly = true;
            this.classicOnly = false;
            return this;
        }

        /**
         * Classic buckets only, as before native histograms; in the multi-process mode, one value per classic bucket
         * in each process's file instead of one per native bucket observed.
         */
        public Builder classicOnly() {
            this.classicOnly = true;
            this.nativeOnly = false;
            return this;
        }

        /**
         * The resolution the native buckets start at, from -4 to 8; default 5. At schema {@code s} each power of two
         * is split into {@code 2^s} buckets, so 5 means buckets about 2.2% wide.
         */
        public Builder nativeInitialSchema(int schema) {
            this.nativeInitialSchema = schema;
            this.nativeSchemaGiven = true;
            return this;
        }

        /**
         * The most native buckets (positive and negative together) a child keeps; default 160. When an observation
         * needs one more, the schema is reduced (neighbouring buckets merged) until it fits, so no observation is
         * ever lost; at the coarsest schema, -4, the limit gives way instead.
         */
        public Builder nativeMaxNumberOfBuckets(int maxNumberOfBuckets) {
            this.nativeMaxNumberOfBuckets = maxNumberOfBuckets;
            this.nativeMaxBucketsGiven = true;
            return this;
        }

        /**
         * Observations with an absolute value up to this go to the zero bucket; default {@code 2^-128}. The name is
         * client_java's; promlet never widens the zero bucket (it reduces the schema instead), so this is the
         * threshold itself.
         */
        public Builder nativeMinZeroThreshold(double zeroThreshold) {
            this.nativeMinZeroThreshold = zeroThreshold;
            this.nativeZeroThresholdGiven = true;
            return this;
        }

        /**
         * Once the schema was reduced, start afresh at the initial schema when this long has passed since the last
         * start: the next scrape after that shows the counts so far, and the following ones count from zero (a
         * counter reset, which Prometheus handles). Default 0: never. Not available in the multi-process mode, where
         * the schema is reduced only when a scrape shows the counts.
         */
        public Builder nativeResetDuration(long duration, TimeUnit unit) {
            this.nativeResetNanos = unit.toNanos(duration);
            this.nativeResetGiven = true;
            return this;
        }

        private boolean nativeSettingsGiven() {
            return nativeSchemaGiven || nativeMaxBucketsGiven || nativeZeroThresholdGiven || nativeResetGiven;
        }

        /** {@code count} linear buckets, see {@link Histogram#linearBuckets}. */
        public Builder linearBuckets(double start, double width, int count) {
            return buckets(Histogram.linearBuckets(start, width, count));
        }

        /** {@code count} exponential buckets, see {@link Histogram#exponentialBuckets}. */
        public Builder exponentialBuckets(double start, double factor, int count) {
            return buckets(Histogram.exponentialBuckets(start, factor, count));
        }
    }
}
