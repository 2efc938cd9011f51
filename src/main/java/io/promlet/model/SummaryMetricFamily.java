package io.promlet.model;

import java.util.List;
import java.util.Objects;

/**
 * A summary family: count, sum and optional quantiles per child.
 *
 * <pre>{@code
 * SummaryMetricFamily s = new SummaryMetricFamily("rpc_duration_seconds", "RPC latency.", List.of("method"));
 * s.addMetric(List.of("get"), 17, 3.4);
 * }</pre>
 */
public final class SummaryMetricFamily extends TypedMetricFamily<SummaryMetricFamily.Point, SummaryMetricFamily> {
    /** One summary child. */
    public static final class Point extends DistributionPoint {
        private final long count;
        private final double[] quantiles;
        private final double[] values;

        /**
         * @param labels    the child's labels
         * @param count     the number of observations
         * @param sum       the sum of the observations
         * @param quantiles the quantile ranks, such as 0.5 and 0.99, ascending; may be empty
         * @param values    the value of each quantile, NaN when the window is empty
         * @param created   when the child was created, in seconds since the epoch, or NaN if unknown
         * @throws IllegalArgumentException if quantiles and values differ in length, the count is negative, or a
         *                                  quantile rank is not between 0 and 1
         * @throws NullPointerException     if an array is null
         */
        public Point(Labels labels, long count, double sum, double[] quantiles, double[] values, double created) {
            super(labels, sum, created);
            Objects.requireNonNull(quantiles, "quantiles");
            Objects.requireNonNull(values, "values");
            if (quantiles.length != values.length) {
                throw new IllegalArgumentException(quantiles.length + " quantiles but " + values.length + " values");
            }
            if (count < 0) {
                throw new IllegalArgumentException("negative count " + count);
            }
            for (double q : quantiles) {
                if (!(q >= 0 && q <= 1)) {
                    throw new IllegalArgumentException("quantile " + q + " is not between 0 and 1");
                }
            }
            this.count = count;
            this.quantiles = quantiles;
            this.values = values;
        }

        @Override
        Object[] components() {
            return new Object[] {"labels", labels(), "count", count, "sum", sum(), "quantiles", quantiles, "values", values,
                "created", created()};
        }

        @Override
        public long count() {
            return count;
        }

        /** The quantile ranks, such as 0.5 and 0.99, ascending; may be empty. */
        public double[] quantiles() {
            return quantiles;
        }

        /** The value of each quantile, NaN when the window is empty. */
        public double[] values() {
            return values;
        }
    }

    private static final double[] NONE = new double[0];

    /** Summary family with these label names. */
    public SummaryMetricFamily(String name, String help, List<String> labelNames) {
        this(name, help, "", labelNames);
    }

    /** Summary family with a unit, appended to the name unless present. */
    public SummaryMetricFamily(String name, String help, String unit, List<String> labelNames) {
        super(name, help, unit, labelNames, MetricType.SUMMARY, "", "_count", "_sum", "_created");
        if (labelNames.contains("quantile")) {
            throw new IllegalArgumentException("summary " + name() + " must not have a \"quantile\" label");
        }
    }

    @Override
    String addedLabel() {
        return "quantile";
    }

    /** Adds a child with count and sum only. */
    public SummaryMetricFamily addMetric(List<String> labelValues, long count, double sum) {
        return add(new Point(labelsFor(labelValues), count, sum, NONE, NONE, Double.NaN));
    }

    @Override
    void addSamples(Point p, List<Sample> samples) {
        for (int i = 0; i < p.quantiles().length; i++) {
            samples.add(new Sample(name(), p.labels().plus("quantile", FloatFormat.format(p.quantiles()[i])),
                    p.values()[i], null));
        }
        addCountAndSum(p, samples);
        addCreated(p, samples);
    }
}
