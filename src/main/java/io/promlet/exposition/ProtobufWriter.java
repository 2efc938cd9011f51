package io.promlet.exposition;

import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;
import io.promlet.model.ValueMetricFamily;

import java.io.IOException;
import java.util.List;

/**
 * Writes families as delimited {@code io.prometheus.client.MetricFamily} messages. The field numbers below are those of
 * prometheus/client_model's {@code metrics.proto}; each is named {@code MESSAGE_FIELD}.
 *
 * <p>Mapping, as the text format shows the types: a counter family is named with {@code _total}; info ({@code _info},
 * value 1) and state set (one series per state, labelled with the family name) are gauges; unknown is untyped. A
 * family is left out when none of its sample names passes a {@code name[]} filter, and written whole otherwise (a
 * protobuf series carries all its values in one message).
 */
final class ProtobufWriter implements FamilyVisitor {
    private static final int FAMILY_NAME = 1;
    private static final int FAMILY_HELP = 2;
    private static final int FAMILY_TYPE = 3;
    private static final int FAMILY_METRIC = 4;
    private static final int FAMILY_UNIT = 5;

    private static final int TYPE_COUNTER = 0;
    private static final int TYPE_GAUGE = 1;
    private static final int TYPE_SUMMARY = 2;
    private static final int TYPE_UNTYPED = 3;
    private static final int TYPE_HISTOGRAM = 4;

    private static final int METRIC_LABEL = 1;
    private static final int METRIC_GAUGE = 2;
    private static final int METRIC_COUNTER = 3;
    private static final int METRIC_SUMMARY = 4;
    private static final int METRIC_UNTYPED = 5;
    private static final int METRIC_HISTOGRAM = 7;

    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;

    /** The single {@code value} field of Gauge, Untyped and Counter. */
    private static final int VALUE = 1;
    private static final int COUNTER_EXEMPLAR = 2;
    private static final int COUNTER_CREATED = 3;

    private static final int SUMMARY_COUNT = 1;
    private static final int SUMMARY_SUM = 2;
    private static final int SUMMARY_QUANTILE = 3;
    private static final int SUMMARY_CREATED = 4;
    private static final int QUANTILE_QUANTILE = 1;
    private static final int QUANTILE_VALUE = 2;

    private static final int HISTOGRAM_COUNT = 1;
    private static final int HISTOGRAM_SUM = 2;
    private static final int HISTOGRAM_BUCKET = 3;
    private static final int HISTOGRAM_SCHEMA = 5;
    private static final int HISTOGRAM_ZERO_THRESHOLD = 6;
    private static final int HISTOGRAM_ZERO_COUNT = 7;
    private static final int HISTOGRAM_NEGATIVE_SPAN = 9;
    private static final int HISTOGRAM_NEGATIVE_DELTA = 10;
    private static final int HISTOGRAM_POSITIVE_SPAN = 12;
    private static final int HISTOGRAM_POSITIVE_DELTA = 13;
    private static final int HISTOGRAM_CREATED = 15;
    private static final int HISTOGRAM_EXEMPLARS = 16;
    private static final int BUCKET_CUMULATIVE_COUNT = 1;
    private static final int BUCKET_UPPER_BOUND = 2;
    private static final int BUCKET_EXEMPLAR = 3;
    private static final int SPAN_OFFSET = 1;
    private static final int SPAN_LENGTH = 2;

    private static final int EXEMPLAR_LABEL = 1;
    private static final int EXEMPLAR_VALUE = 2;
    private static final int EXEMPLAR_TIMESTAMP = 3;

    private static final int TIMESTAMP_SECONDS = 1;
    private static final int TIMESTAMP_NANOS = 2;

    /**
     * The zero threshold sent for a native histogram that has neither observations nor a zero bucket width of its own
     * (2^-128, client_golang's default). Prometheus 2.42 tells a native histogram from a classic one by its buckets, zero
     * count or a positive zero threshold, so without it an empty native histogram would be read as a classic one.
     */
    private static final double EMPTY_ZERO_THRESHOLD = 0x1p-128;

    private final ProtobufOutput out;
    private final boolean createdTimestamps;

    ProtobufWriter(ProtobufOutput out, boolean createdTimestamps) {
        this.out = out;
        this.createdTimestamps = createdTimestamps;
    }

    /** Writes the families, each as one length-prefixed message, and flushes. */
    void write(Iterable<MetricFamily> families) throws IOException {
        for (MetricFamily family : families) {
            if (!includesAny(family)) {
                continue;
            }
            int start = out.beginDelimited();
            FamilyVisitor.visit(family, this);
            out.endMessage(start);
            out.drain();
        }
        out.flush();
    }

    private static boolean includesAny(MetricFamily family) {
        for (String sampleName : family.sampleNames()) {
            if (family.includes(sampleName)) {
                return true;
            }
        }
        return false;
    }

    private void header(MetricFamily family, String name, int type) {
        out.string(FAMILY_NAME, name);
        out.string(FAMILY_HELP, family.help());
        out.uint64(FAMILY_TYPE, type);
        if (!family.unit().isEmpty()) {
            out.string(FAMILY_UNIT, family.unit());
        }
    }

    @Override
    public void counter(CounterMetricFamily f) {
        header(f, f.name() + "_total", TYPE_COUNTER);
        boolean created = showsCreated(f);
        for (CounterMetricFamily.Point p : f.points()) {
            int metric = beginMetric(p.labels());
            int counter = out.beginMessage(METRIC_COUNTER);
            out.doubleField(VALUE, p.value());
            if (p.exemplar() != null) {
                exemplar(COUNTER_EXEMPLAR, p.exemplar());
            }
            if (created) {
                timestamp(COUNTER_CREATED, p.created());
            }
            out.endMessage(counter);
            out.endMessage(metric);
        }
    }

    @Override
    public void gauge(GaugeMetricFamily f) {
        values(f, TYPE_GAUGE, METRIC_GAUGE, f.points());
    }

    @Override
    public void unknown(UnknownMetricFamily f) {
        values(f, TYPE_UNTYPED, METRIC_UNTYPED, f.points());
    }

    /** A gauge or unknown family: one value per point. */
    private void values(MetricFamily f, int type, int valueField, List<ValueMetricFamily.Point> points) {
        header(f, f.name(), type);
        for (ValueMetricFamily.Point p : points) {
            int metric = beginMetric(p.labels());
            value(valueField, p.value());
            out.endMessage(metric);
        }
    }

    @Override
    public void info(InfoMetricFamily f) {
        header(f, f.name() + "_info", TYPE_GAUGE);
        for (InfoMetricFamily.Point p : f.points()) {
            int metric = beginMetric(p.labels());
            value(METRIC_GAUGE, 1);
            out.endMessage(metric);
        }
    }

    @Override
    public void stateSet(StateSetMetricFamily f) {
        String name = f.name();
        header(f, name, TYPE_GAUGE);
        for (StateSetMetricFamily.Point p : f.points()) {
            String[] states = p.states();
            boolean[] enabled = p.enabled();
            for (int i = 0; i < states.length; i++) {
                int metric = beginMetric(p.labels());
                label(METRIC_LABEL, name, states[i]);
                value(METRIC_GAUGE, enabled[i] ? 1 : 0);
                out.endMessage(metric);
            }
        }
    }

    @Override
    public void summary(SummaryMetricFamily f) {
        header(f, f.name(), TYPE_SUMMARY);
        boolean created = showsCreated(f);
        for (SummaryMetricFamily.Point p : f.points()) {
            int metric = beginMetric(p.labels());
            int summary = out.beginMessage(METRIC_SUMMARY);
            out.uint64(SUMMARY_COUNT, p.count());
            out.doubleField(SUMMARY_SUM, p.sum());
            double[] quantiles = p.quantiles();
            double[] values = p.values();
            for (int i = 0; i < quantiles.length; i++) {
                int quantile = out.beginMessage(SUMMARY_QUANTILE);
                out.doubleField(QUANTILE_QUANTILE, quantiles[i]);
                out.doubleField(QUANTILE_VALUE, values[i]);
                out.endMessage(quantile);
            }
            if (created) {
                timestamp(SUMMARY_CREATED, p.created());
            }
            out.endMessage(summary);
            out.endMessage(metric);
        }
    }

    /**
     * Classic buckets (the {@code +Inf} one included, for its exemplar) unless the point is native-only, then the
     * native schema, zero bucket, spans and deltas. The sum is always sent: unlike the text formats' {@code _sum}
     * counter, the protobuf sum is no counter, and a native histogram needs it.
     */
    @Override
    public void histogram(HistogramMetricFamily f) {
        header(f, f.name(), TYPE_HISTOGRAM);
        boolean created = showsCreated(f);
        for (HistogramMetricFamily.Point p : f.points()) {
            int metric = beginMetric(p.labels());
            int histogram = out.beginMessage(METRIC_HISTOGRAM);
            out.uint64(HISTOGRAM_COUNT, p.count());
            out.doubleField(HISTOGRAM_SUM, p.sum());
            NativeBuckets nativeBuckets = p.nativeBuckets();
            double[] bounds = p.upperBounds();
            Exemplar[] exemplars = p.exemplars();
            boolean nativeOnly = nativeBuckets != null && bounds.length == 1;
            if (!nativeOnly) {
                classicBuckets(bounds, p.cumulativeCounts(), exemplars);
            }
            if (nativeBuckets != null) {
                nativeBuckets(nativeBuckets);
            }
            if (created) {
                timestamp(HISTOGRAM_CREATED, p.created());
            }
            if (nativeOnly && exemplars != null) {
                for (Exemplar exemplar : exemplars) {
                    if (exemplar != null) {
                        exemplar(HISTOGRAM_EXEMPLARS, exemplar);
                    }
                }
            }
            out.endMessage(histogram);
            out.endMessage(metric);
        }
    }

    private void classicBuckets(double[] bounds, long[] counts, Exemplar[] exemplars) {
        for (int i = 0; i < bounds.length; i++) {
            int bucket = out.beginMessage(HISTOGRAM_BUCKET);
            out.uint64(BUCKET_CUMULATIVE_COUNT, counts[i]);
            out.doubleField(BUCKET_UPPER_BOUND, bounds[i]);
            if (exemplars != null && exemplars[i] != null) {
                exemplar(BUCKET_EXEMPLAR, exemplars[i]);
            }
            out.endMessage(bucket);
        }
    }

    private void nativeBuckets(NativeBuckets b) {
        out.sint64(HISTOGRAM_SCHEMA, b.schema());
        boolean empty = b.count() == 0 && b.zeroThreshold() == 0;
        out.doubleField(HISTOGRAM_ZERO_THRESHOLD, empty ? EMPTY_ZERO_THRESHOLD : b.zeroThreshold());
        out.uint64(HISTOGRAM_ZERO_COUNT, b.zeroCount());
        int[] negativeIndexes = b.negativeIndexes();
        if (negativeIndexes.length > 0) {
            spansAndDeltas(HISTOGRAM_NEGATIVE_SPAN, HISTOGRAM_NEGATIVE_DELTA, negativeIndexes, b.negativeCounts());
        }
        int[] positiveIndexes = b.positiveIndexes();
        if (positiveIndexes.length > 0) {
            spansAndDeltas(HISTOGRAM_POSITIVE_SPAN, HISTOGRAM_POSITIVE_DELTA, positiveIndexes, b.positiveCounts());
        }
    }

    /**
     * One span per run of consecutive indexes, its offset the gap since the previous span (the first one's, its start
     * index); then each bucket's count as the difference to the previous bucket's (the first one's, to 0).
     */
    private void spansAndDeltas(int spanField, int deltaField, int[] indexes, long[] counts) {
        int runStart = 0;
        int previousEnd = 0;
        for (int i = 1; i <= indexes.length; i++) {
            if (i == indexes.length || indexes[i] != indexes[i - 1] + 1) {
                int span = out.beginMessage(spanField);
                out.sint64(SPAN_OFFSET, runStart == 0 ? indexes[0] : indexes[runStart] - previousEnd);
                out.uint64(SPAN_LENGTH, i - runStart);
                out.endMessage(span);
                previousEnd = indexes[i - 1] + 1;
                runStart = i;
            }
        }
        long previous = 0;
        for (long count : counts) {
            out.sint64(deltaField, count - previous);
            previous = count;
        }
    }

    private boolean showsCreated(MetricFamily family) {
        return createdTimestamps && family.includes(family.name() + "_created");
    }

    /** Starts a series' Metric message with its labels; returns what {@link ProtobufOutput#endMessage(int)} needs. */
    private int beginMetric(Labels labels) {
        int metric = out.beginMessage(FAMILY_METRIC);
        labels(METRIC_LABEL, labels);
        return metric;
    }

    private void value(int metricField, double value) {
        int message = out.beginMessage(metricField);
        out.doubleField(VALUE, value);
        out.endMessage(message);
    }

    private void labels(int field, Labels labels) {
        for (int i = 0; i < labels.size(); i++) {
            label(field, labels.name(i), labels.value(i));
        }
    }

    private void label(int field, String name, String value) {
        out.stringPair(field, LABEL_NAME, name, LABEL_VALUE, value);
    }

    private void exemplar(int field, Exemplar exemplar) {
        int message = out.beginMessage(field);
        labels(EXEMPLAR_LABEL, exemplar.labels());
        out.doubleField(EXEMPLAR_VALUE, exemplar.value());
        timestamp(EXEMPLAR_TIMESTAMP, exemplar.timestampSeconds());
        out.endMessage(message);
    }

    /** A {@code google.protobuf.Timestamp} of these seconds since the epoch; nothing for NaN (unknown). */
    private void timestamp(int field, double seconds) {
        if (Double.isNaN(seconds)) {
            return;
        }
        long whole = (long) Math.floor(seconds);
        long nanos = Math.min(999_999_999L, Math.round((seconds - whole) * 1e9));
        int message = out.beginMessage(field);
        out.uint64(TIMESTAMP_SECONDS, whole);
        out.uint64(TIMESTAMP_NANOS, nanos);
        out.endMessage(message);
    }
}
