package io.promlet.exposition;

import io.promlet.CollectorRegistry;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextFormatTest {
    static String text(MetricFamily... families) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextFormat.write(out, List.of(families));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void counterUsesTotalInHelpTypeAndSampleWithoutCreatedOrExemplar() throws IOException {
        CounterMetricFamily c = new CounterMetricFamily("requests_total", "Requests served.", List.of("path", "status"));
        c.addMetric(List.of("/", "200"), 3, 1700000000.5);
        c.add(new CounterMetricFamily.Point(Labels.of("path", "/a", "status", "500"), 1.5,
                new Exemplar(Labels.of("trace_id", "abc"), 1, 1700000000.123), 1700000000));
        assertEquals("""
                # HELP requests_total Requests served.
                # TYPE requests_total counter
                requests_total{path="/",status="200"} 3.0
                requests_total{path="/a",status="500"} 1.5
                """, text(c));
    }

    @Test
    void gaugeWithSpecialAndAwkwardValues() throws IOException {
        GaugeMetricFamily g = new GaugeMetricFamily("level", "Level.", List.of("case"));
        g.addMetric(List.of("inf"), Double.POSITIVE_INFINITY);
        g.addMetric(List.of("minus_inf"), Double.NEGATIVE_INFINITY);
        g.addMetric(List.of("nan"), Double.NaN);
        g.addMetric(List.of("zero"), 0);
        g.addMetric(List.of("negative"), -3.5);
        g.addMetric(List.of("quarter"), 0.25);
        g.addMetric(List.of("tenth_plus_fifth"), 0.1 + 0.2);
        g.addMetric(List.of("timestamp"), 1700000000.123);
        g.addMetric(List.of("large"), 1e20);
        g.addMetric(List.of("small"), 1e-5);
        g.addMetric(List.of("long"), 123456789012345.0);
        g.addMetric(List.of("full_precision"), 1234567890.1234567);
        assertEquals("""
                # HELP level Level.
                # TYPE level gauge
                level{case="inf"} +Inf
                level{case="minus_inf"} -Inf
                level{case="nan"} NaN
                level{case="zero"} 0.0
                level{case="negative"} -3.5
                level{case="quarter"} 0.25
                level{case="tenth_plus_fifth"} 0.30000000000000004
                level{case="timestamp"} 1700000000.123
                level{case="large"} 1.0e+20
                level{case="small"} 1.0e-5
                level{case="long"} 123456789012345.0
                level{case="full_precision"} 1234567890.1234567
                """, text(g));
    }

    @Test
    void escapesHelpAndLabelValuesAndPassesNonAsciiThrough() throws IOException {
        GaugeMetricFamily g = new GaugeMetricFamily("room_temperature", "Temp\u00e9rature \"\u00b0C\" \\ per room\nsecond line \ud83d\ude00",
                List.of("room"));
        g.addMetric(List.of("back\\slash \"quoted\"\nnew line \u2713 \ud83d\ude00 \u00e9"), 21);
        String expected = "# HELP room_temperature Temp\u00e9rature \"\u00b0C\" \\\\ per room\\nsecond line \ud83d\ude00\n"
                + "# TYPE room_temperature gauge\n"
                + "room_temperature{room=\"back\\\\slash \\\"quoted\\\"\\nnew line \u2713 \ud83d\ude00 \u00e9\"} 21.0\n";
        assertEquals(expected, text(g));
    }

    @Test
    void labelledFamilyWithoutChildrenShowsHelpAndTypeOnly() throws IOException {
        assertEquals("""
                # HELP queue_size Jobs waiting.
                # TYPE queue_size gauge
                # HELP jobs_total Jobs.
                # TYPE jobs_total counter
                """, text(new GaugeMetricFamily("queue_size", "Jobs waiting.", List.of("queue")),
                new CounterMetricFamily("jobs", "Jobs.", List.of("queue"))));
    }

    @Test
    void summaryWithQuantilesCountAndSumButNoCreated() throws IOException {
        SummaryMetricFamily s = new SummaryMetricFamily("rpc_duration_seconds", "RPC latency.", List.of("method"));
        s.add(new SummaryMetricFamily.Point(Labels.of("method", "get"), 17, 3.4, new double[] {0.5, 0.99},
                new double[] {0.125, Double.NaN}, 1700000000.0));
        s.addMetric(List.of("put"), 0, 0);
        assertEquals("""
                # HELP rpc_duration_seconds RPC latency.
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{method="get",quantile="0.5"} 0.125
                rpc_duration_seconds{method="get",quantile="0.99"} NaN
                rpc_duration_seconds_count{method="get"} 17.0
                rpc_duration_seconds_sum{method="get"} 3.4
                rpc_duration_seconds_count{method="put"} 0.0
                rpc_duration_seconds_sum{method="put"} 0.0
                """, text(s));
    }

    @Test
    void histogramBucketsCountAndSumWithoutCreated() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("job_duration_seconds", "Job time.", List.of("queue"));
        double[] bounds = {1e-4, 0.005, 0.1, 1, Double.POSITIVE_INFINITY};
        h.add(new HistogramMetricFamily.Point(Labels.of("queue", "mail"), bounds, new long[] {0, 1, 3, 8, 9}, 41.5,
                new Exemplar[] {null, new Exemplar(Labels.EMPTY, 0.004, Double.NaN), null, null, null}, 1700000000.0));
        h.addMetric(List.of("sms"), bounds, new long[] {0, 0, 0, 0, 0}, 0);
        assertEquals("""
                # HELP job_duration_seconds Job time.
                # TYPE job_duration_seconds histogram
                job_duration_seconds_bucket{queue="mail",le="1.0e-4"} 0.0
                job_duration_seconds_bucket{queue="mail",le="0.005"} 1.0
                job_duration_seconds_bucket{queue="mail",le="0.1"} 3.0
                job_duration_seconds_bucket{queue="mail",le="1.0"} 8.0
                job_duration_seconds_bucket{queue="mail",le="+Inf"} 9.0
                job_duration_seconds_count{queue="mail"} 9.0
                job_duration_seconds_sum{queue="mail"} 41.5
                job_duration_seconds_bucket{queue="sms",le="1.0e-4"} 0.0
                job_duration_seconds_bucket{queue="sms",le="0.005"} 0.0
                job_duration_seconds_bucket{queue="sms",le="0.1"} 0.0
                job_duration_seconds_bucket{queue="sms",le="1.0"} 0.0
                job_duration_seconds_bucket{queue="sms",le="+Inf"} 0.0
                job_duration_seconds_count{queue="sms"} 0.0
                job_duration_seconds_sum{queue="sms"} 0.0
                """, text(h));
    }

    @Test
    void histogramWithNegativeBucketsHasCountButNoSum() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("temperature_celsius", "Temperature.", List.of());
        h.addMetric(List.of(), new double[] {-10, 0, 10, Double.POSITIVE_INFINITY}, new long[] {1, 2, 4, 5}, -3);
        assertEquals("""
                # HELP temperature_celsius Temperature.
                # TYPE temperature_celsius histogram
                temperature_celsius_bucket{le="-10.0"} 1.0
                temperature_celsius_bucket{le="0.0"} 2.0
                temperature_celsius_bucket{le="10.0"} 4.0
                temperature_celsius_bucket{le="+Inf"} 5.0
                temperature_celsius_count 5.0
                """, text(h));
    }

    @Test
    void infoIsAGaugeNamedWithInfo() throws IOException {
        InfoMetricFamily info = new InfoMetricFamily("build_info", "Build information.", List.of("component"));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("version", "1.2.3");
        labels.put("commit", "abc\"123");
        info.addMetric(List.of("server"), labels);
        assertEquals("""
                # HELP build_info Build information.
                # TYPE build_info gauge
                build_info{component="server",version="1.2.3",commit="abc\\"123"} 1.0
                """, text(info));
    }

    @Test
    void stateSetIsAGaugeWithALabelNamedLikeTheFamily() throws IOException {
        StateSetMetricFamily s = new StateSetMetricFamily("feature_flags", "Flags.", List.of("env"));
        s.add(new StateSetMetricFamily.Point(Labels.of("env", "prod"), new String[] {"dark_mode", "beta \"x\""},
                new boolean[] {true, false}));
        assertEquals("""
                # HELP feature_flags Flags.
                # TYPE feature_flags gauge
                feature_flags{env="prod",feature_flags="dark_mode"} 1.0
                feature_flags{env="prod",feature_flags="beta \\"x\\""} 0.0
                """, text(s));
    }

    @Test
    void unknownIsUntypedAndUnitsAreOnlyInTheName() throws IOException {
        UnknownMetricFamily u = new UnknownMetricFamily("legacy_value", "", List.of());
        u.addMetric(List.of(), 42.23);
        GaugeMetricFamily g = new GaugeMetricFamily("room_temperature", "Temperature.", "celsius", List.of());
        g.addMetric(List.of(), 21.5);
        assertEquals("""
                # HELP legacy_value\s
                # TYPE legacy_value untyped
                legacy_value 42.23
                # HELP room_temperature_celsius Temperature.
                # TYPE room_temperature_celsius gauge
                room_temperature_celsius 21.5
                """, text(u, g));
    }

    @Test
    void filteredFamiliesShowOnlyTheirSamplesAndVanishWhenNoneIsLeft() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("latency_seconds", "Latency.", List.of());
        h.addMetric(List.of(), new double[] {1, Double.POSITIVE_INFINITY}, new long[] {1, 2}, 2.5);
        CounterMetricFamily c = new CounterMetricFamily("jobs", "Jobs.", List.of());
        c.addMetric(List.of(), 1, 1700000000);
        GaugeMetricFamily g = new GaugeMetricFamily("queue_size", "Queue.", List.of());
        g.addMetric(List.of(), 3);
        Set<String> wanted = Set.of("latency_seconds_count", "latency_seconds_sum", "jobs_created", "queue_size");
        assertEquals("""
                # HELP latency_seconds Latency.
                # TYPE latency_seconds histogram
                latency_seconds_count 2.0
                latency_seconds_sum 2.5
                # HELP queue_size Queue.
                # TYPE queue_size gauge
                queue_size 3.0
                """, text(h.filtered(wanted::contains), c.filtered(wanted::contains), g.filtered(wanted::contains)));
        assertEquals("", text(g.filtered(name -> false)));
    }

    @Test
    void instrumentsThroughTheRegistry() {
        CollectorRegistry registry = Instruments.registry();
        assertEquals("""
                # HELP jobs_total Jobs run.
                # TYPE jobs_total counter
                jobs_total{queue="mail"} 2.0
                # HELP room_temperature_celsius Temperature.
                # TYPE room_temperature_celsius gauge
                room_temperature_celsius 21.5
                # HELP latency_seconds Latency.
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1.0
                latency_seconds_bucket{le="1.0"} 2.0
                latency_seconds_bucket{le="+Inf"} 2.0
                latency_seconds_count 2.0
                latency_seconds_sum 0.55
                # HELP build_info Build.
                # TYPE build_info gauge
                build_info{version="1.2.3"} 1.0
                # HELP task_state Task state.
                # TYPE task_state gauge
                task_state{task_state="starting"} 0.0
                task_state{task_state="running"} 1.0
                # HELP rpc_duration_seconds RPC duration.
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{method="get",quantile="0.5"} Q
                rpc_duration_seconds{method="get",quantile="0.9"} Q
                rpc_duration_seconds_count{method="get"} 3.0
                rpc_duration_seconds_sum{method="get"} 6.0
                """, Instruments.withQuantilesChecked(TextFormat.generateLatest(registry)));
    }

    @Test
    void longDocumentsSpanManyBuffers() throws IOException {
        GaugeMetricFamily g = new GaugeMetricFamily("wide", "Wide.", List.of("id"));
        StringBuilder expected = new StringBuilder("# HELP wide Wide.\n# TYPE wide gauge\n");
        String longValue = "\u00e9\ud83d\ude00x".repeat(5000);
        for (int i = 0; i < 2000; i++) {
            String id = i == 1000 ? longValue : "child-" + i;
            g.addMetric(List.of(id), i + 0.5);
            expected.append("wide{id=\"").append(id).append("\"} ").append(i).append(".5\n");
        }
        assertEquals(expected.toString(), text(g));
    }
}
