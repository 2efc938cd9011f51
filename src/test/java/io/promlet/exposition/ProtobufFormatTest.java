package io.promlet.exposition;

import io.promlet.CollectorRegistry;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;
import io.promlet.tools.ProtobufExposition;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads promlet's protobuf output back with client_java's generated {@code MetricFamily} classes (an independent
 * parser) and compares every family, label, value, bucket, exemplar and created timestamp with what was recorded.
 */
class ProtobufFormatTest {
    private static final Labels NO_LABELS = Labels.EMPTY;

    private static List<Metrics.MetricFamily> write(List<MetricFamily> families, boolean created) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtobufFormat.write(bytes, families, created);
        return ProtobufExposition.parse(bytes.toByteArray());
    }

    private static Metrics.MetricFamily writeOne(MetricFamily family) throws IOException {
        List<Metrics.MetricFamily> parsed = write(List.of(family), true);
        assertEquals(1, parsed.size());
        return parsed.get(0);
    }

    private static Map<String, String> labels(List<Metrics.LabelPair> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Metrics.LabelPair pair : pairs) {
            labels.put(pair.getName(), pair.getValue());
        }
        return labels;
    }

    private static double seconds(io.prometheus.metrics.shaded.com_google_protobuf_4_36_1.Timestamp timestamp) {
        return timestamp.getSeconds() + timestamp.getNanos() / 1e9;
    }

    @Test
    void counterIsNamedWithTotalAndCarriesExemplarAndCreated() throws IOException {
        CounterMetricFamily f = new CounterMetricFamily("jobs", "Jobs \"run\".\nAll.", List.of("queue", "host"));
        f.add(new CounterMetricFamily.Point(Labels.of("queue", "mail", "host", "ä€😀"), 2.5,
                new Exemplar(Labels.of("trace_id", "abc"), 1.5, 1_700_000_000.25), 1_600_000_000.5));
        f.add(new CounterMetricFamily.Point(Labels.of("queue", "sms", "host", "b"), 0, null, Double.NaN));

        Metrics.MetricFamily m = writeOne(f);

        assertEquals("jobs_total", m.getName());
        assertEquals("Jobs \"run\".\nAll.", m.getHelp());
        assertEquals(Metrics.MetricType.COUNTER, m.getType());
        assertEquals(2, m.getMetricCount());
        Metrics.Metric mail = m.getMetric(0);
        assertEquals(Map.of("queue", "mail", "host", "ä€😀"), labels(mail.getLabelList()));
        assertEquals(2.5, mail.getCounter().getValue());
        assertEquals(Map.of("trace_id", "abc"), labels(mail.getCounter().getExemplar().getLabelList()));
        assertEquals(1.5, mail.getCounter().getExemplar().getValue());
        assertEquals(1_700_000_000L, mail.getCounter().getExemplar().getTimestamp().getSeconds());
        assertEquals(250_000_000, mail.getCounter().getExemplar().getTimestamp().getNanos());
        assertEquals(1_600_000_000.5, seconds(mail.getCounter().getCreatedTimestamp()));
        Metrics.Metric sms = m.getMetric(1);
        assertTrue(sms.hasCounter(), "a zero counter is still a counter");
        assertEquals(0, sms.getCounter().getValue());
        assertFalse(sms.getCounter().hasExemplar());
        assertFalse(sms.getCounter().hasCreatedTimestamp(), "unknown creation time");
    }

    @Test
    void createdTimestampsCanBeSwitchedOff() throws IOException {
        CounterMetricFamily c = new CounterMetricFamily("c", "C.", List.of());
        c.add(new CounterMetricFamily.Point(NO_LABELS, 1, null, 100));
        SummaryMetricFamily s = new SummaryMetricFamily("s", "S.", List.of());
        s.add(new SummaryMetricFamily.Point(NO_LABELS, 1, 2, new double[0], new double[0], 100));
        HistogramMetricFamily h = new HistogramMetricFamily("h", "H.", List.of());
        h.add(new HistogramMetricFamily.Point(NO_LABELS, new double[] {Double.POSITIVE_INFINITY}, new long[] {1}, 2, null, 100));

        List<Metrics.MetricFamily> with = write(List.of(c, s, h), true);
        List<Metrics.MetricFamily> without = write(List.of(c, s, h), false);

        assertEquals(100, seconds(with.get(0).getMetric(0).getCounter().getCreatedTimestamp()));
        assertEquals(100, seconds(with.get(1).getMetric(0).getSummary().getCreatedTimestamp()));
        assertEquals(100, seconds(with.get(2).getMetric(0).getHistogram().getCreatedTimestamp()));
        assertFalse(without.get(0).getMetric(0).getCounter().hasCreatedTimestamp());
        assertFalse(without.get(1).getMetric(0).getSummary().hasCreatedTimestamp());
        assertFalse(without.get(2).getMetric(0).getHistogram().hasCreatedTimestamp());
    }

    @Test
    void gaugeUnknownInfoAndStateSetAsTheTextFormatShowsThem() throws IOException {
        GaugeMetricFamily gauge = new GaugeMetricFamily("temperature", "Temp.", "celsius", List.of("room"));
        gauge.addMetric(List.of("kitchen"), -21.5);
        gauge.addMetric(List.of("hall"), Double.NaN);
        UnknownMetricFamily unknown = new UnknownMetricFamily("mystery", "Unknown.", List.of());
        unknown.addMetric(List.of(), Double.POSITIVE_INFINITY);
        CollectorRegistry registry = Instruments.registry();

        List<Metrics.MetricFamily> parsed = write(List.of(gauge, unknown), true);
        Map<String, Metrics.MetricFamily> instruments = byName(write(registry.collect(), true));

        Metrics.MetricFamily g = parsed.get(0);
        assertEquals("temperature_celsius", g.getName());
        assertEquals("celsius", g.getUnit());
        assertEquals(Metrics.MetricType.GAUGE, g.getType());
        assertEquals(Map.of("room", "kitchen"), labels(g.getMetric(0).getLabelList()));
        assertEquals(-21.5, g.getMetric(0).getGauge().getValue());
        assertTrue(Double.isNaN(g.getMetric(1).getGauge().getValue()));
        Metrics.MetricFamily u = parsed.get(1);
        assertEquals(Metrics.MetricType.UNTYPED, u.getType());
        assertEquals(Double.POSITIVE_INFINITY, u.getMetric(0).getUntyped().getValue());

        Metrics.MetricFamily info = instruments.get("build_info");
        assertEquals(Metrics.MetricType.GAUGE, info.getType());
        assertEquals(Map.of("version", "1.2.3"), labels(info.getMetric(0).getLabelList()));
        assertEquals(1, info.getMetric(0).getGauge().getValue());
        Metrics.MetricFamily state = instruments.get("task_state");
        assertEquals(Metrics.MetricType.GAUGE, state.getType());
        assertEquals(2, state.getMetricCount());
        assertEquals(Map.of("task_state", "starting"), labels(state.getMetric(0).getLabelList()));
        assertEquals(0, state.getMetric(0).getGauge().getValue());
        assertEquals(Map.of("task_state", "running"), labels(state.getMetric(1).getLabelList()));
        assertEquals(1, state.getMetric(1).getGauge().getValue());
        assertEquals(21.5, instruments.get("room_temperature_celsius").getMetric(0).getGauge().getValue());
        assertEquals(2, instruments.get("jobs_total").getMetric(0).getCounter().getValue());
        assertEquals(Map.of("trace_id", "abc"),
                labels(instruments.get("jobs_total").getMetric(0).getCounter().getExemplar().getLabelList()));
    }

    private static Map<String, Metrics.MetricFamily> byName(List<Metrics.MetricFamily> families) {
        Map<String, Metrics.MetricFamily> byName = new LinkedHashMap<>();
        for (Metrics.MetricFamily family : families) {
            byName.put(family.getName(), family);
        }
        return byName;
    }

    @Test
    void summaryWithQuantilesCountSumAndCreated() throws IOException {
        SummaryMetricFamily f = new SummaryMetricFamily("rpc_seconds", "RPC.", List.of("method"));
        f.add(new SummaryMetricFamily.Point(Labels.of("method", "get"), 3, 6.5, new double[] {0.5, 0.99},
                new double[] {2, 3.25}, 42));

        Metrics.MetricFamily m = writeOne(f);

        assertEquals(Metrics.MetricType.SUMMARY, m.getType());
        Metrics.Summary s = m.getMetric(0).getSummary();
        assertEquals(3, s.getSampleCount());
        assertEquals(6.5, s.getSampleSum());
        assertEquals(2, s.getQuantileCount());
        assertEquals(0.5, s.getQuantile(0).getQuantile());
        assertEquals(2, s.getQuantile(0).getValue());
        assertEquals(0.99, s.getQuantile(1).getQuantile());
        assertEquals(3.25, s.getQuantile(1).getValue());
        assertEquals(42, seconds(s.getCreatedTimestamp()));
    }

    @Test
    void classicHistogramWithBucketExemplarsSumAndCreated() throws IOException {
        HistogramMetricFamily f = new HistogramMetricFamily("latency_seconds", "Latency.", List.of("path"));
        Exemplar slow = new Exemplar(Labels.of("trace_id", "slow"), 7, 1000);
        f.add(new HistogramMetricFamily.Point(Labels.of("path", "/"), new double[] {-1, 0.5, Double.POSITIVE_INFINITY},
                new long[] {1, 3, 4}, 5.5, new Exemplar[] {null, null, slow}, 99.125));

        Metrics.Histogram h = writeOne(f).getMetric(0).getHistogram();

        assertEquals(4, h.getSampleCount());
        assertEquals(5.5, h.getSampleSum(), "protobuf has a sum even with negative buckets");
        assertEquals(3, h.getBucketCount());
        assertEquals(-1, h.getBucket(0).getUpperBound());
        assertEquals(1, h.getBucket(0).getCumulativeCount());
        assertEquals(0.5, h.getBucket(1).getUpperBound());
        assertEquals(3, h.getBucket(1).getCumulativeCount());
        assertEquals(Double.POSITIVE_INFINITY, h.getBucket(2).getUpperBound());
        assertEquals(4, h.getBucket(2).getCumulativeCount());
        assertFalse(h.getBucket(0).hasExemplar());
        assertEquals(7, h.getBucket(2).getExemplar().getValue());
        assertEquals(Map.of("trace_id", "slow"), labels(h.getBucket(2).getExemplar().getLabelList()));
        assertEquals(99.125, seconds(h.getCreatedTimestamp()));
        assertEquals(0, h.getPositiveSpanCount(), "no native buckets");
        assertEquals(0, h.getZeroThreshold());
    }

    static Stream<NativeBuckets> nativeBuckets() {
        return Stream.of(
                // Empty, without a zero bucket width of its own.
                new NativeBuckets(3, 0, 0, new int[0], new long[0], new int[0], new long[0]),
                // Only the zero bucket.
                new NativeBuckets(3, 1e-9, 5, new int[0], new long[0], new int[0], new long[0]),
                // Positive buckets in three runs, one of them below 1 (negative indexes).
                new NativeBuckets(3, 0x1p-128, 0, new int[] {-20, -19, 0, 1, 2, 70}, new long[] {4, 1, 1000, 2, 2, 1},
                        new int[0], new long[0]),
                // Negative values only, and some zeros.
                new NativeBuckets(0, 0x1p-128, 2, new int[0], new long[0], new int[] {1, 3}, new long[] {3, 1}),
                // Both sides, a schema reduced to the coarsest.
                new NativeBuckets(NativeBuckets.MIN_SCHEMA, 0.001, 1, new int[] {0, 5}, new long[] {7, 9}, new int[] {-1},
                        new long[] {2}),
                // The finest schema, with many buckets (messages longer than 127 bytes).
                finestSchema());
    }

    private static NativeBuckets finestSchema() {
        int[] indexes = new int[300];
        long[] counts = new long[300];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = 2 * i - 150;
            counts[i] = 1 + (i * 7919L) % 1000;
        }
        return new NativeBuckets(NativeBuckets.MAX_SCHEMA, 0x1p-128, 0, indexes, counts, new int[0], new long[0]);
    }

    @ParameterizedTest
    @MethodSource("nativeBuckets")
    void nativeOnlyHistogramSendsSpansAndDeltasAndNoClassicBuckets(NativeBuckets buckets) throws IOException {
        HistogramMetricFamily f = new HistogramMetricFamily("native_seconds", "Native.", List.of());
        Exemplar exemplar = new Exemplar(Labels.of("trace_id", "n"), 0.25, 1234.5);
        f.add(new HistogramMetricFamily.Point(NO_LABELS, new double[] {Double.POSITIVE_INFINITY}, new long[] {buckets.count()},
                -3.75, new Exemplar[] {exemplar}, 10, buckets));

        Metrics.Histogram h = writeOne(f).getMetric(0).getHistogram();

        assertEquals(0, h.getBucketCount(), "a native-only histogram has no classic buckets");
        assertNativeBuckets(buckets, h);
        assertEquals(-3.75, h.getSampleSum());
        assertEquals(10, seconds(h.getCreatedTimestamp()));
        assertEquals(1, h.getExemplarsCount());
        assertEquals(0.25, h.getExemplars(0).getValue());
        assertEquals(1234.5, seconds(h.getExemplars(0).getTimestamp()));
        assertEquals(Map.of("trace_id", "n"), labels(h.getExemplars(0).getLabelList()));
    }

    @Test
    void histogramWithClassicAndNativeBucketsSendsBoth() throws IOException {
        NativeBuckets buckets = new NativeBuckets(1, 0x1p-128, 0, new int[] {-1, 2}, new long[] {1, 2}, new int[0], new long[0]);
        HistogramMetricFamily f = new HistogramMetricFamily("both", "Both.", List.of());
        f.add(new HistogramMetricFamily.Point(NO_LABELS, new double[] {1, Double.POSITIVE_INFINITY}, new long[] {1, 3}, 4.5,
                null, Double.NaN, buckets));

        Metrics.Histogram h = writeOne(f).getMetric(0).getHistogram();

        assertEquals(2, h.getBucketCount());
        assertEquals(1, h.getBucket(0).getCumulativeCount());
        assertEquals(3, h.getBucket(1).getCumulativeCount());
        assertNativeBuckets(buckets, h);
        assertFalse(h.hasCreatedTimestamp());
    }

    /**
     * Decodes spans and deltas back into bucket indexes and counts and compares them, the schema, the zero bucket and the
     * count with the model. An empty histogram must still look native to Prometheus 2.42: a positive zero threshold.
     */
    private static void assertNativeBuckets(NativeBuckets expected, Metrics.Histogram h) {
        assertEquals(expected.schema(), h.getSchema());
        assertEquals(expected.zeroCount(), h.getZeroCount());
        assertEquals(expected.count(), h.getSampleCount());
        assertTrue(h.getZeroThreshold() > 0, "a positive zero threshold marks the histogram as native");
        if (expected.zeroThreshold() > 0) {
            assertEquals(expected.zeroThreshold(), h.getZeroThreshold());
        }
        assertEquals(buckets(expected.positiveIndexes(), expected.positiveCounts()),
                ProtobufExposition.nativeBuckets(h.getPositiveSpanList(), h.getPositiveDeltaList()));
        assertEquals(buckets(expected.negativeIndexes(), expected.negativeCounts()),
                ProtobufExposition.nativeBuckets(h.getNegativeSpanList(), h.getNegativeDeltaList()));
        assertEquals(0, h.getPositiveCountCount(), "integer histograms use deltas");
    }

    private static Map<Integer, Long> buckets(int[] indexes, long[] counts) {
        Map<Integer, Long> buckets = new TreeMap<>();
        for (int i = 0; i < indexes.length; i++) {
            buckets.put(indexes[i], counts[i]);
        }
        return buckets;
    }

    @Test
    void nameFilterLeavesOutFamiliesWithoutAnIncludedSample() throws IOException {
        CollectorRegistry registry = Instruments.registry();

        List<Metrics.MetricFamily> parsed = write(registry.filteredBy(List.of("jobs_total", "latency_seconds_bucket")).collect(),
                true);

        assertEquals(List.of("jobs_total", "latency_seconds"), parsed.stream().map(Metrics.MetricFamily::getName).toList());
        Metrics.Histogram latency = parsed.get(1).getMetric(0).getHistogram();
        assertEquals(2, latency.getSampleCount());
        assertEquals(List.of(1L, 2L, 2L), latency.getBucketList().stream().map(Metrics.Bucket::getCumulativeCount).toList());
        assertEquals(0.5, latency.getBucket(1).getExemplar().getValue());
    }

    @Test
    void largeFamilyAndLongStringsKeepTheirLengths() throws IOException {
        GaugeMetricFamily f = new GaugeMetricFamily("many", "x".repeat(20_000), List.of("i", "long"));
        for (int i = 0; i < 5000; i++) {
            f.addMetric(List.of(Integer.toString(i), "é".repeat(i % 200)), i);
        }
        GaugeMetricFamily after = new GaugeMetricFamily("after", "After.", List.of());
        after.addMetric(List.of(), 1);

        List<Metrics.MetricFamily> parsed = write(List.of(f, after), true);

        assertEquals(2, parsed.size());
        assertEquals(20_000, parsed.get(0).getHelp().length());
        assertEquals(5000, parsed.get(0).getMetricCount());
        for (int i = 0; i < 5000; i++) {
            Metrics.Metric m = parsed.get(0).getMetric(i);
            assertEquals(Map.of("i", Integer.toString(i), "long", "é".repeat(i % 200)), labels(m.getLabelList()));
            assertEquals(i, m.getGauge().getValue());
        }
        assertEquals("after", parsed.get(1).getName());
    }

    @Test
    void labelsAroundTheOneByteLengthAndEndingInNonAscii() throws IOException {
        // A label message under 128 bytes of ASCII is written in one go; these cross that limit, and the non-ASCII
        // values turn out not to be ASCII only at their last character.
        GaugeMetricFamily f = new GaugeMetricFamily("edges", "Edges.", List.of("name", "value"));
        for (int i = 100; i < 140; i++) {
            f.addMetric(List.of("n".repeat(i % 3), "v".repeat(i) + (i % 2 == 0 ? "" : "\u00e9")), i);
        }

        List<Metrics.MetricFamily> parsed = write(List.of(f), true);

        for (int i = 100; i < 140; i++) {
            Metrics.Metric m = parsed.get(0).getMetric(i - 100);
            assertEquals(Map.of("name", "n".repeat(i % 3), "value", "v".repeat(i) + (i % 2 == 0 ? "" : "\u00e9")),
                    labels(m.getLabelList()));
            assertEquals(i, m.getGauge().getValue());
        }
    }

    @Test
    void familiesWithoutPointsAndNoFamiliesAtAll() throws IOException {
        assertEquals(List.of(), write(List.of(), true));
        Metrics.MetricFamily empty = writeOne(new CounterMetricFamily("idle", "Idle.", List.of("a")));
        assertEquals("idle_total", empty.getName());
        assertEquals(0, empty.getMetricCount());
    }
}
