package io.promlet.model;

import java.util.List;

/**
 * A histogram family: classic cumulative buckets, and native buckets ({@link NativeBuckets}) where a point has them.
 * A native-only point has the single classic bucket {@code +Inf}, so the text formats still show its count and sum.
 *
 * <pre>{@code
 * HistogramMetricFamily h = new HistogramMetricFamily("job_duration_seconds", "Job time.", List.of());
 * h.addMetric(List.of(), new double[] {1, 10, Double.POSITIVE_INFINITY}, new long[] {3, 8, 9}, 41.5);
 * }</pre>
 */
public final class HistogramMetricFamily extends TypedMetricFamily<HistogramMetricFamily.Point, HistogramMetricFamily> {
    /** One histogram child. The count is the last cumulative count, the {@code +Inf} bucket. */
    public static final class Point extends DistributionPoint {
        private final double[] upperBounds;
        private final long[] cumulativeCounts;
        private final Exemplar[] exemplars;
        private final NativeBuckets nativeBuckets;

        /**
         * A point with classic buckets only.
         *
         * @param labels           the child's labels
         * @param upperBounds      the bucket bounds, ascending, the last one {@code +Inf}
         * @param cumulativeCounts the cumulative count of each bucket
         * @param sum              the sum of the observations
         * @param exemplars        the latest exemplar of each bucket (entries may be null), or null
         * @param created          when the child was created, in seconds since the epoch, or NaN if unknown
         * @throws IllegalArgumentException if the buckets are not ascending, do not end in +Inf, or the counts are not cumulative
         *                                  or below zero
         */
        public Point(Labels labels, double[] upperBounds, long[] cumulativeCounts, double sum, Exemplar[] exemplars,
                     double created) {
            this(labels, upperBounds, cumulativeCounts, sum, exemplars, created, null);
        }

        /**
         * A point with classic buckets and, unless {@code nativeBuckets} is null, native ones over the same
         * observations.
         *
         * @param nativeBuckets the native buckets, or null
         * @throws IllegalArgumentException also if the native buckets count other observations than the classic ones
         */
        public Point(Labels labels, double[] upperBounds, long[] cumulativeCounts, double sum, Exemplar[] exemplars,
                     double created, NativeBuckets nativeBuckets) {
            super(labels, sum, created);
            if (upperBounds.length == 0 || upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("the last bucket of a histogram must be +Inf");
            }
            if (cumulativeCounts.length != upperBounds.length) {
                throw new IllegalArgumentException(upperBounds.length + " buckets but " + cumulativeCounts.length + " counts");
            }
            if (cumulativeCounts[0] < 0) {
                throw new IllegalArgumentException("histogram buckets must not count below zero: " + cumulativeCounts[0]);
            }
            for (int i = 1; i < upperBounds.length; i++) {
                if (!(upperBounds[i] > upperBounds[i - 1]) || cumulativeCounts[i] < cumulativeCounts[i - 1]) {
                    throw new IllegalArgumentException("histogram buckets must ascend and their counts be cumulative, at le="
                            + FloatFormat.format(upperBounds[i]));
                }
            }
            this.upperBounds = upperBounds;
            this.cumulativeCounts = cumulativeCounts;
            this.exemplars = exemplars;
            if (nativeBuckets != null && nativeBuckets.count() != count()) {
                throw new IllegalArgumentException("native buckets count " + nativeBuckets.count() + " observations, classic buckets "
                        + count());
            }
            this.nativeBuckets = nativeBuckets;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels(), "upperBounds", upperBounds, "cumulativeCounts", cumulativeCounts, "sum", sum(),
                "exemplars", exemplars, "created", created(), "nativeBuckets", nativeBuckets};
        }

        /** The bucket bounds, ascending, the last one {@code +Inf}. */
        public double[] upperBounds() {
            return upperBounds;
        }

        /** The cumulative count of each bucket. */
        public long[] cumulativeCounts() {
            return cumulativeCounts;
        }

        /** The latest exemplar of each bucket (entries may be null), or null. */
        public Exemplar[] exemplars() {
            return exemplars;
        }

        /** The native buckets, or null if the point has classic buckets only. */
        public NativeBuckets nativeBuckets() {
            return nativeBuckets;
        }

        @Override
        public long count() {
            return cumulativeCounts[cumulativeCounts.length - 1];
        }

        /**
         * False when a bucket bound is negative: the sum of negative observations is not a counter, so it is not
         * shown, and OpenMetrics then shows no {@code _count} either (it requires {@code _count} exactly when
         * {@code _sum} is present; the {@code +Inf} bucket still carries the count).
         */
        public boolean hasSum() {
            return upperBounds[0] >= 0;
        }
    }

    /** Histogram family with these label names. */
    public HistogramMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Histogram family with a unit, appended to the name unless present. */
    public HistogramMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.HISTOGRAM, "", "_bucket", "_count", "_sum", "_created");
        if (labelNames.contains("le")) {
            throw new IllegalArgumentException("histogram " + name() + " must not have an \"le\" label");
        }
    }

    @Override
    String addedLabel() {
        return "le";
    }

    /** Adds a child from its bucket bounds (ending in +Inf), cumulative counts and sum. */
    public HistogramMetricFamily addMetric(List<String> labelValues, double[] upperBounds, long[] cumulativeCounts, double sum) {
        return add(new Point(labelsFor(labelValues), upperBounds.clone(), cumulativeCounts.clone(), sum, null, Double.NaN));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        for (int i = 0; i < p.upperBounds().length; i++) {
            Exemplar exemplar = p.exemplars() == null ? null : p.exemplars()[i];
            samples.add(new Sample(name() + "_bucket", p.labels().plus("le", FloatFormat.format(p.upperBounds()[i])),
                    p.cumulativeCounts()[i], exemplar));
        }
        if (p.hasSum()) {
            addCountAndSum(p, samples);
        }
        addCreated(p, samples);
    }
}
