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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenMetricsFormatTest {
    static String openMetrics(boolean created, MetricFamily... families) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsFormat.write(out, List.of(families), created);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String openMetrics(MetricFamily... families) throws IOException {
        return openMetrics(true, families);
    }

    private static CounterMetricFamily counter() {
        CounterMetricFamily c = new CounterMetricFamily("requests_total", "Requests served.", List.of("path"));
        c.add(new CounterMetricFamily.Point(Labels.of("path", "/"), 3, null, 1700000000.5));
        c.add(new CounterMetricFamily.Point(Labels.of("path", "/a"), 1.5,
                new Exemplar(Labels.of("trace_id", "abc"), 1, 1700000000.123), 1700000000));
        c.add(new CounterMetricFamily.Point(Labels.of("path", "/b"), 2,
                new Exemplar(Labels.EMPTY, 0.5, Double.NaN), Double.NaN));
        return c;
    }

    @Test
    void counterHasFamilyNameInMetadataTotalWithExemplarsAndCreated() throws IOException {
        assertEquals("""
                # TYPE requests counter
                # HELP requests Requests served.
                requests_total{path="/"} 3.0
                requests_created{path="/"} 1700000000.5
                requests_total{path="/a"} 1.5 # {trace_id="abc"} 1.0 1700000000.123
                requests_created{path="/a"} 1700000000.0
                requests_total{path="/b"} 2.0 # {} 0.5
                # EOF
                """, openMetrics(counter()));
    }

    @Test
    void createdCanBeSwitchedOff() throws IOException {
        assertEquals("""
                # TYPE requests counter
                # HELP requests Requests served.
                requests_total{path="/"} 3.0
                requests_total{path="/a"} 1.5 # {trace_id="abc"} 1.0 1700000000.123
                requests_total{path="/b"} 2.0 # {} 0.5
                # EOF
                """, openMetrics(false, counter()));
    }

    @Test
    void emptyExpositionIsJustEof() throws IOException {
        assertEquals("# EOF\n", openMetrics());
    }

    @Test
    void unitLineAndSpecialValues() throws IOException {
        GaugeMetricFamily g = new GaugeMetricFamily("room_temperature", "Temperature.", "celsius", List.of("room"));
        g.addMetric(List.of("inf"), Double.POSITIVE_INFINITY);
        g.addMetric(List.of("minus_inf"), Double.NEGATIVE_INFINITY);
        g.addMetric(List.of("nan"), Double.NaN);
        g.addMetric(List.of("kitchen"), 21.5);
        assertEquals("""
                # TYPE room_temperature_celsius gauge
                # UNIT room_temperature_celsius celsius
                # HELP room_temperature_celsius Temperature.
                room_temperature_celsius{room="inf"} +Inf
                room_temperature_celsius{room="minus_inf"} -Inf
                room_temperature_celsius{room="nan"} NaN
                room_temperature_celsius{room="kitchen"} 21.5
                # EOF
                """, openMetrics(g));
    }

    @Test
    void escapesHelpIncludingQuotesAndLabelValues() throws IOException {
        GaugeMetricFamily g = new GaugeMetricFamily("room_temperature", "Temp\u00e9rature \"\u00b0C\" \\ per room\nsecond line \ud83d\ude00",
                List.of("room"));
        g.addMetric(List.of("back\\slash \"quoted\"\nnew line \u2713 \ud83d\ude00"), 21);
        assertEquals("# TYPE room_temperature gauge\n"
                + "# HELP room_temperature Temp\u00e9rature \\\"\u00b0C\\\" \\\\ per room\\nsecond line \ud83d\ude00\n"
                + "room_temperature{room=\"back\\\\slash \\\"quoted\\\"\\nnew line \u2713 \ud83d\ude00\"} 21.0\n"
                + "# EOF\n", openMetrics(g));
    }

    @Test
    void labelledFamilyWithoutChildrenShowsMetadataOnly() throws IOException {
        assertEquals("""
                # TYPE queue_size gauge
                # HELP queue_size Jobs waiting.
                # TYPE jobs counter
                # HELP jobs Jobs.
                # EOF
                """, openMetrics(new GaugeMetricFamily("queue_size", "Jobs waiting.", List.of("queue")),
                new CounterMetricFamily("jobs_total", "Jobs.", List.of("queue"))));
    }

    @Test
    void summaryWithCreated() throws IOException {
        SummaryMetricFamily s = new SummaryMetricFamily("rpc_duration", "RPC latency.", "seconds", List.of("method"));
        s.add(new SummaryMetricFamily.Point(Labels.of("method", "get"), 17, 3.4, new double[] {0.5, 0.99},
                new double[] {0.125, Double.NaN}, 1700000000.25));
        s.addMetric(List.of("put"), 0, 0);
        assertEquals("""
                # TYPE rpc_duration_seconds summary
                # UNIT rpc_duration_seconds seconds
                # HELP rpc_duration_seconds RPC latency.
                rpc_duration_seconds{method="get",quantile="0.5"} 0.125
                rpc_duration_seconds{method="get",quantile="0.99"} NaN
                rpc_duration_seconds_count{method="get"} 17.0
                rpc_duration_seconds_sum{method="get"} 3.4
                rpc_duration_seconds_created{method="get"} 1700000000.25
                rpc_duration_seconds_count{method="put"} 0.0
                rpc_duration_seconds_sum{method="put"} 0.0
                # EOF
                """, openMetrics(s));
    }

    @Test
    void summaryShowsNoNegativeSumOrQuantilesButKeepsItsCount() throws IOException {
        SummaryMetricFamily s = new SummaryMetricFamily("clock_offset", "Offsets.", "seconds", List.of("peer"));
        s.add(new SummaryMetricFamily.Point(Labels.of("peer", "a"), 3, -0.75, new double[] {0.1, 0.5, 0.9},
                new double[] {-0.5, 0, 0.125}, Double.NaN));
        s.add(new SummaryMetricFamily.Point(Labels.of("peer", "b"), 2, Double.NaN, new double[] {0.5},
                new double[] {Double.NaN}, Double.NaN));
        assertEquals("""
                # TYPE clock_offset_seconds summary
                # UNIT clock_offset_seconds seconds
                # HELP clock_offset_seconds Offsets.
                clock_offset_seconds{peer="a",quantile="0.5"} 0.0
                clock_offset_seconds{peer="a",quantile="0.9"} 0.125
                clock_offset_seconds_count{peer="a"} 3.0
                clock_offset_seconds{peer="b",quantile="0.5"} NaN
                clock_offset_seconds_count{peer="b"} 2.0
                # EOF
                """, openMetrics(s));
    }

    @Test
    void histogramWithBucketExemplarsAndCreated() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("job_duration_seconds", "Job time.", List.of());
        h.add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {0.005, 0.1, 1, Double.POSITIVE_INFINITY},
                new long[] {1, 3, 8, 9}, 41.5,
                new Exemplar[] {new Exemplar(Labels.of("trace_id", "KOO5S4vxi0o"), 0.004, 1700000000.789), null, null,
                        new Exemplar(Labels.of("trace_id", "oHg5SJYRHA0"), 9.8, Double.NaN)},
                1700000000));
        assertEquals("""
                # TYPE job_duration_seconds histogram
                # HELP job_duration_seconds Job time.
                job_duration_seconds_bucket{le="0.005"} 1.0 # {trace_id="KOO5S4vxi0o"} 0.004 1700000000.789
                job_duration_seconds_bucket{le="0.1"} 3.0
                job_duration_seconds_bucket{le="1.0"} 8.0
                job_duration_seconds_bucket{le="+Inf"} 9.0 # {trace_id="oHg5SJYRHA0"} 9.8
                job_duration_seconds_count 9.0
                job_duration_seconds_sum 41.5
                job_duration_seconds_created 1700000000.0
                # EOF
                """, openMetrics(h));
    }

    @Test
    void histogramWithNegativeBucketsHasNeitherSumNorCount() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("temperature_celsius", "Temperature.", List.of());
        h.add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {-10, 0, 10, Double.POSITIVE_INFINITY},
                new long[] {1, 2, 4, 5}, -3, null, 1700000000));
        assertEquals("""
                # TYPE temperature_celsius histogram
                # HELP temperature_celsius Temperature.
                temperature_celsius_bucket{le="-10.0"} 1.0
                temperature_celsius_bucket{le="0.0"} 2.0
                temperature_celsius_bucket{le="10.0"} 4.0
                temperature_celsius_bucket{le="+Inf"} 5.0
                temperature_celsius_created 1700000000.0
                # EOF
                """, openMetrics(h));
    }

    @Test
    void histogramWithANegativeSumHasNeitherSumNorCount() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("offset", "Offset.", List.of());
        h.addMetric(List.of(), new double[] {1, Double.POSITIVE_INFINITY}, new long[] {1, 2}, -3.5);
        assertEquals("""
                # TYPE offset histogram
                # HELP offset Offset.
                offset_bucket{le="1.0"} 1.0
                offset_bucket{le="+Inf"} 2.0
                # EOF
                """, openMetrics(h));
    }

    @Test
    void infoStateSetAndUnknownHaveTheirOwnTypes() throws IOException {
        InfoMetricFamily info = new InfoMetricFamily("build", "Build information.", List.of());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("version", "1.2.3");
        labels.put("commit", "abc123");
        info.addMetric(List.of(), labels);
        StateSetMetricFamily s = new StateSetMetricFamily("feature_flags", "Flags.", List.of("env"));
        s.add(new StateSetMetricFamily.Point(Labels.of("env", "prod"), new String[] {"dark_mode", "beta"},
                new boolean[] {true, false}));
        UnknownMetricFamily u = new UnknownMetricFamily("legacy_value", "", List.of());
        u.addMetric(List.of(), 42.23);
        assertEquals("""
                # TYPE build info
                # HELP build Build information.
                build_info{version="1.2.3",commit="abc123"} 1.0
                # TYPE feature_flags stateset
                # HELP feature_flags Flags.
                feature_flags{env="prod",feature_flags="dark_mode"} 1.0
                feature_flags{env="prod",feature_flags="beta"} 0.0
                # TYPE legacy_value unknown
                # HELP legacy_value\s
                legacy_value 42.23
                # EOF
                """, openMetrics(info, s, u));
    }

    @Test
    void filteredFamiliesShowOnlyTheirSamples() throws IOException {
        HistogramMetricFamily h = new HistogramMetricFamily("latency_seconds", "Latency.", List.of());
        h.add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {1, Double.POSITIVE_INFINITY}, new long[] {1, 2},
                2.5, null, 1700000000));
        Set<String> wanted = Set.of("latency_seconds_bucket", "latency_seconds_created", "requests_created");
        assertEquals("""
                # TYPE latency_seconds histogram
                # HELP latency_seconds Latency.
                latency_seconds_bucket{le="1.0"} 1.0
                latency_seconds_bucket{le="+Inf"} 2.0
                latency_seconds_created 1700000000.0
                # TYPE requests counter
                # HELP requests Requests served.
                requests_created{path="/"} 1700000000.5
                requests_created{path="/a"} 1700000000.0
                # EOF
                """, openMetrics(h.filtered(wanted::contains), counter().filtered(wanted::contains)));
        assertEquals("# EOF\n", openMetrics(false, counter().filtered(wanted::contains)));
    }

    @Test
    void instrumentsThroughTheRegistry() {
        CollectorRegistry registry = Instruments.registry();

        String exposition = OpenMetricsFormat.generateLatest(registry, false);
        // Exemplar timestamps are the time of the observation; check their form, then pin them for the comparison.
        Matcher timestamps = Pattern.compile(" (1\\d{9}(\\.\\d{1,3})?)$", Pattern.MULTILINE).matcher(exposition);
        int found = 0;
        while (timestamps.find()) {
            double seconds = Double.parseDouble(timestamps.group(1));
            assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000.0) < 60, exposition);
            found++;
        }
        assertEquals(2, found, exposition);
        assertEquals("""
                # TYPE jobs counter
                # HELP jobs Jobs run.
                jobs_total{queue="mail"} 2.0 # {trace_id="abc"} 2.0 T
                # TYPE room_temperature_celsius gauge
                # UNIT room_temperature_celsius celsius
                # HELP room_temperature_celsius Temperature.
                room_temperature_celsius 21.5
                # TYPE latency_seconds histogram
                # HELP latency_seconds Latency.
                latency_seconds_bucket{le="0.1"} 1.0
                latency_seconds_bucket{le="1.0"} 2.0 # {trace_id="def"} 0.5 T
                latency_seconds_bucket{le="+Inf"} 2.0
                latency_seconds_count 2.0
                latency_seconds_sum 0.55
                # TYPE build info
                # HELP build Build.
                build_info{version="1.2.3"} 1.0
                # TYPE task_state stateset
                # HELP task_state Task state.
                task_state{task_state="starting"} 0.0
                task_state{task_state="running"} 1.0
                # TYPE rpc_duration_seconds summary
                # UNIT rpc_duration_seconds seconds
                # HELP rpc_duration_seconds RPC duration.
                rpc_duration_seconds{method="get",quantile="0.5"} Q
                rpc_duration_seconds{method="get",quantile="0.9"} Q
                rpc_duration_seconds_count{method="get"} 3.0
                rpc_duration_seconds_sum{method="get"} 6.0
                # EOF
                """, Instruments.withQuantilesChecked(timestamps.replaceAll(" T")));

        String withCreated = OpenMetricsFormat.generateLatest(registry);
        for (String created : List.of("jobs_created\\{queue=\"mail\"}", "latency_seconds_created",
                "rpc_duration_seconds_created\\{method=\"get\"}")) {
            assertTrue(Pattern.compile("^" + created + " 1\\d{9}(\\.\\d{1,3})?$", Pattern.MULTILINE).matcher(withCreated).find(),
                    created + " in " + withCreated);
        }
    }
}
