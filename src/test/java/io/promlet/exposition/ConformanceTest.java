package io.promlet.exposition;

import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import io.promlet.Summary;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.MetricType;
import io.promlet.model.Sample;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks both formats with real parsers: {@code promtool check metrics} (the Go parser and Prometheus' linter) for
 * the text format, and the Python client's reference parsers for both formats, whose every parsed sample must
 * equal the model's.
 */
class ConformanceTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String TEXT = "text";
    private static final String OPENMETRICS = "openmetrics";

    /** Every family type and edge case, built with the model classes and with the instruments. */
    static List<MetricFamily> corpus() {
        List<MetricFamily> families = new ArrayList<>();

        CounterMetricFamily requests = new CounterMetricFamily("http_requests_total",
                "Requests \"served\" \\ by path.\nSecond line, UTF-8: \u00e9 \u2713 \ud83d\ude00", List.of("method", "path"));
        requests.add(new CounterMetricFamily.Point(Labels.of("method", "GET", "path", "/"), 1027, null, 1700000000.5));
        requests.add(new CounterMetricFamily.Point(Labels.of("method", "GET", "path", "/a\\b \"c\"\nd \u00e9 \u2713 \ud83d\ude00"),
                3.5, new Exemplar(Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 0.5, 1700000000.123), Double.NaN));
        requests.add(new CounterMetricFamily.Point(Labels.of("method", "POST", "path", ""), 0,
                new Exemplar(Labels.EMPTY, 1, Double.NaN), 1700000001));
        families.add(requests);

        CounterMetricFamily cpu = new CounterMetricFamily("process_cpu", "CPU time spent.", "seconds", List.of());
        cpu.addMetric(List.of(), 4.20072246e6, 1699999999.999);
        families.add(cpu);

        families.add(new CounterMetricFamily("jobs_failed", "Jobs that failed.", List.of("queue")));

        GaugeMetricFamily readings = new GaugeMetricFamily("sensor_reading", "Readings.", List.of("sensor"));
        double[] values = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0, -3.5, 0.0625, -12.05, 0.1 + 0.2, 1e20, 1e-5,
            -1e-300, 1700000000.123, 1234567890.1234567, 123456789012345.0, Double.MAX_VALUE, Double.MIN_VALUE};
        for (int i = 0; i < values.length; i++) {
            readings.addMetric(List.of("s" + i), values[i]);
        }
        families.add(readings);

        // What cut text leaves once its broken end is dealt with: three distinct series. (An unpaired surrogate is refused.)
        GaugeMetricFamily cut = new GaugeMetricFamily("cut_title_length", "Titles cut to a fixed length.", List.of("title"));
        cut.addMetric(List.of("ab?"), 1);
        cut.addMetric(List.of("ab\ufffd"), 2);
        cut.addMetric(List.of("ab\ud83d\ude00"), 3);
        families.add(cut);

        GaugeMetricFamily temperature = new GaugeMetricFamily("outdoor_temperature", "Outdoor temperature.", "celsius", List.of("sensor"));
        temperature.addMetric(List.of("north"), -7.25);
        families.add(temperature);

        SummaryMetricFamily queries = new SummaryMetricFamily("db_query_duration", "Query latency.", "seconds", List.of("method"));
        queries.add(new SummaryMetricFamily.Point(Labels.of("method", "get"), 17, 3.4, new double[] {0.5, 0.9, 0.99},
                new double[] {0.125, 0.5, Double.NaN}, 1700000000.25));
        queries.add(new SummaryMetricFamily.Point(Labels.of("method", "put"), 0, 0, new double[0], new double[0], Double.NaN));
        families.add(queries);

        // Negative observations: OpenMetrics forbids a negative _sum and negative quantiles, which its view leaves out.
        SummaryMetricFamily offsets = new SummaryMetricFamily("clock_offset", "Clock offsets.", "seconds", List.of("peer"));
        offsets.add(new SummaryMetricFamily.Point(Labels.of("peer", "a"), 3, -0.75, new double[] {0.1, 0.5, 0.9},
                new double[] {-0.5, -0.25, 0.125}, 1700000000));
        offsets.add(new SummaryMetricFamily.Point(Labels.of("peer", "b"), 2, Double.NaN, new double[] {0.5},
                new double[] {Double.NaN}, Double.NaN));
        families.add(offsets);
        Summary drift = Summary.builder().name("drift").help("Drift.").quantile(0.5).register(new CollectorRegistry());
        drift.observe(-3);
        drift.observe(-1);
        families.addAll(drift.collect());
        Histogram offset = Histogram.builder().name("offset").help("Offset.").buckets(1, 2).register(new CollectorRegistry());
        offset.observe(-5);
        offset.observe(1.5);
        families.addAll(offset.collect());

        HistogramMetricFamily latency = new HistogramMetricFamily("http_request_duration", "Latency.", "seconds", List.of("method"));
        double[] bounds = {0.005, 0.01, 0.1, 1, 10, Double.POSITIVE_INFINITY};
        latency.add(new HistogramMetricFamily.Point(Labels.of("method", "GET"), bounds, new long[] {1, 2, 5, 8, 9, 10}, 17.25,
                new Exemplar[] {new Exemplar(Labels.of("trace_id", "KOO5S4vxi0o"), 0.004, 1700000000.789), null, null,
                    new Exemplar(Labels.of("trace_id", "oHg5SJYRHA0", "span_id", "x\"y"), 0.67, Double.NaN), null,
                    new Exemplar(Labels.EMPTY, 12, 1700000000)},
                1700000000));
        latency.add(new HistogramMetricFamily.Point(Labels.of("method", "POST"), bounds, new long[6], 0, null, Double.NaN));
        families.add(latency);

        HistogramMetricFamily change = new HistogramMetricFamily("temperature_change", "Temperature changes.", "celsius", List.of());
        change.add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {-10, -1, 0, 1, 10, Double.POSITIVE_INFINITY},
                new long[] {1, 3, 3, 7, 9, 9}, -2.5, null, 1700000000));
        families.add(change);

        InfoMetricFamily server = new InfoMetricFamily("server", "Server information.", List.of("component"));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", "1.2.3");
        info.put("revision", "abc \"quoted\" \\ \u00e9");
        server.addMetric(List.of("api"), info);
        families.add(server);

        StateSetMetricFamily flags = new StateSetMetricFamily("feature_flag", "Feature flags.", List.of("env"));
        flags.add(new StateSetMetricFamily.Point(Labels.of("env", "prod"), new String[] {"dark_mode", "beta \"new\" \u00e9"},
                new boolean[] {true, false}));
        families.add(flags);

        UnknownMetricFamily legacy = new UnknownMetricFamily("legacy_value", "A value of unknown type.", List.of());
        legacy.addMetric(List.of(), 42.23);
        families.add(legacy);

        // Filtered views, as name[] selects them: buckets and _created of a histogram (OpenMetrics requires the buckets),
        // only _created of a counter (not in the text format at all), nothing.
        HistogramMetricFamily filteredLatency = new HistogramMetricFamily("queue_wait", "Queue wait.", "seconds", List.of());
        filteredLatency.add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {1, Double.POSITIVE_INFINITY},
                new long[] {4, 6}, 7.5, null, 1700000000));
        Set<String> wanted = Set.of("queue_wait_seconds_bucket", "queue_wait_seconds_created", "restarts_created");
        families.add(filteredLatency.filtered(wanted::contains));
        CounterMetricFamily restarts = new CounterMetricFamily("restarts", "Restarts.", List.of());
        restarts.addMetric(List.of(), 2, 1700000000);
        families.add(restarts.filtered(wanted::contains));
        GaugeMetricFamily hidden = new GaugeMetricFamily("hidden_value", "Hidden.", List.of());
        hidden.addMetric(List.of(), 1);
        families.add(hidden.filtered(wanted::contains));

        // Native histograms: the text formats show the classic part, so a native-only one has just the +Inf bucket.
        CollectorRegistry nativeRegistry = new CollectorRegistry();
        Histogram nativeOnly = Histogram.builder().name("native_latency_seconds").help("Native-only latency.").nativeOnly()
                .register(nativeRegistry);
        nativeOnly.observe(0);
        nativeOnly.observe(0.25);
        nativeOnly.observe(3, Map.of("trace_id", "ghi"));
        Histogram mixed = Histogram.builder().name("mixed_latency_seconds").help("Classic and native latency.").buckets(0.1, 1)
                .register(nativeRegistry);
        mixed.observe(0.05);
        mixed.observe(2);
        families.addAll(nativeRegistry.collect());

        families.addAll(Instruments.registry().collect());
        return families;
    }

    /** The corpus and what only the linter objects to: families without help. */
    private static List<MetricFamily> corpusForParsers() {
        List<MetricFamily> families = new ArrayList<>(corpus());
        UnknownMetricFamily undocumented = new UnknownMetricFamily("undocumented_value", "", List.of());
        undocumented.addMetric(List.of(), 1);
        families.add(undocumented);
        families.add(new CounterMetricFamily("undocumented_events", "", List.of("kind")));
        return families;
    }

    @Test
    void promtoolAcceptsTheTextFormatWithoutLintProblems() throws Exception {
        requireTool(PROMTOOL);
        String text = written(TEXT, corpus());
        Result result = run(List.of(PROMTOOL.toString(), "check", "metrics"), text);
        assertEquals(0, result.exitCode, "promtool: " + result.stdout + result.stderr + "\n" + text);
        assertEquals("", result.stdout + result.stderr, text);
    }

    @Test
    void pythonTextParserReadsBackEverySample() throws Exception {
        requirePythonClient();
        List<MetricFamily> corpus = corpusForParsers();
        List<Object> parsed = parse(TEXT, written(TEXT, corpus));
        List<Expected> expected = new ArrayList<>();
        for (MetricFamily family : corpus) {
            if (shows(family, TEXT)) {
                expected.add(new Expected(textName(family), textType(family.type()), family.help(), "", textSamples(family)));
            }
        }
        compare(expected, parsed, false);
    }

    @Test
    void pythonOpenMetricsParserReadsBackEverySample() throws Exception {
        requirePythonClient();
        List<MetricFamily> corpus = corpusForParsers();
        List<Object> parsed = parse(OPENMETRICS, written(OPENMETRICS, corpus));
        List<Expected> expected = new ArrayList<>();
        for (MetricFamily family : corpus) {
            if (shows(family, OPENMETRICS)) {
                expected.add(new Expected(family.name(), family.type().name().toLowerCase(), family.help(), family.unit(),
                        openMetricsSamples(family)));
            }
        }
        compare(expected, parsed, true);
    }

    @Test
    void pythonOpenMetricsParserReadsTheCorpusWithoutCreated() throws Exception {
        requirePythonClient();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsFormat.write(out, corpusForParsers(), false);
        int samples = 0;
        for (Object family : parse(OPENMETRICS, out.toString(StandardCharsets.UTF_8))) {
            for (Object sample : list(map(family).get("samples"))) {
                assertTrue(!((String) map(sample).get("name")).endsWith("_created"), sample.toString());
                samples++;
            }
        }
        assertTrue(samples > 50, "samples: " + samples);
    }

    /** A family as the parser should report it. */
    private record Expected(String name, String type, String help, String unit, List<Sample> samples) {
    }

    private static boolean shows(MetricFamily family, String format) {
        return family.sampleNames().stream()
                .filter(name -> format.equals(OPENMETRICS) || !name.equals(family.name() + "_created"))
                .anyMatch(family::includes);
    }

    private static String textName(MetricFamily family) {
        // The Python text parser names a counter family without _total, as the model does.
        return family.type() == MetricType.INFO ? family.name() + "_info" : family.name();
    }

    private static String textType(MetricType type) {
        return switch (type) {
            case INFO, STATESET -> "gauge";
            default -> type.name().toLowerCase();
        };
    }

    /**
     * The model's samples as the text format shows them: without {@code _created}, and with {@code _count} also
     * for histograms that have no {@code _sum} (which OpenMetrics, and so the model, leaves out).
     */
    private static List<Sample> textSamples(MetricFamily family) {
        List<Sample> samples = new ArrayList<>();
        String name = family.name();
        for (Sample s : family.samples()) {
            if (s.name().equals(name + "_created")) {
                continue;
            }
            samples.add(s);
            if (family instanceof HistogramMetricFamily h && s.name().equals(name + "_bucket")
                    && s.labels().get("le").equals("+Inf") && h.includes(name + "_count")) {
                for (HistogramMetricFamily.Point p : h.points()) {
                    if (!p.hasSum() && p.labels().plus("le", "+Inf").equals(s.labels())) {
                        samples.add(new Sample(name + "_count", p.labels(), p.count(), null));
                    }
                }
            }
        }
        return samples;
    }

    /**
     * The model's samples as OpenMetrics shows them: without the negative values it forbids, a negative or NaN
     * {@code _sum} (for a histogram with its {@code _count}) and negative quantiles.
     */
    private static List<Sample> openMetricsSamples(MetricFamily family) {
        List<Sample> samples = family.samples();
        String name = family.name();
        Set<Labels> negativeSums = new HashSet<>();
        for (Sample s : samples) {
            if (s.name().equals(name + "_sum") && !(s.value() >= 0)) {
                negativeSums.add(s.labels());
            }
        }
        samples.removeIf(s -> family.type() == MetricType.SUMMARY && s.name().equals(name) && s.value() < 0
                || negativeSums.contains(s.labels()) && (s.name().equals(name + "_sum")
                        || family.type() == MetricType.HISTOGRAM && s.name().equals(name + "_count")));
        return samples;
    }

    private static void compare(List<Expected> expected, List<Object> parsed, boolean exemplars) {
        List<String> parsedNames = parsed.stream().map(f -> (String) map(f).get("name")).toList();
        assertEquals(expected.stream().map(Expected::name).toList(), parsedNames);
        for (int i = 0; i < expected.size(); i++) {
            Expected family = expected.get(i);
            Map<String, Object> actual = map(parsed.get(i));
            String where = family.name() + ": ";
            assertEquals(family.type(), actual.get("type"), where + "type");
            assertEquals(family.help(), actual.get("help"), where + "help");
            assertEquals(family.unit(), actual.get("unit"), where + "unit");
            List<Object> samples = list(actual.get("samples"));
            assertEquals(family.samples().size(), samples.size(), where + "samples " + samples);
            for (int j = 0; j < samples.size(); j++) {
                Sample want = family.samples().get(j);
                Map<String, Object> got = map(samples.get(j));
                String at = where + "sample " + j + " " + got;
                assertEquals(want.name(), got.get("name"), at);
                assertEquals(labels(want.labels()), got.get("labels"), at);
                assertSameDouble(want.value(), number(got.get("value")), at);
                Exemplar wantExemplar = exemplars ? want.exemplar() : null;
                if (wantExemplar == null) {
                    assertNull(got.get("exemplar"), at);
                } else {
                    Map<String, Object> gotExemplar = map(got.get("exemplar"));
                    assertEquals(labels(wantExemplar.labels()), gotExemplar.get("labels"), at);
                    assertSameDouble(wantExemplar.value(), number(gotExemplar.get("value")), at);
                    Object timestamp = gotExemplar.get("timestamp");
                    assertSameDouble(wantExemplar.timestampSeconds(), timestamp == null ? Double.NaN : number(timestamp), at);
                }
            }
        }
    }

    private static void assertSameDouble(double expected, double actual, String message) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                message + ": expected " + expected + " but was " + actual);
    }

    private static List<Object> labels(Labels labels) {
        List<Object> pairs = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            pairs.add(List.of(labels.name(i), labels.value(i)));
        }
        return pairs;
    }

    private static double number(Object repr) {
        return switch ((String) repr) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble((String) repr);
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object json) {
        return (List<Object>) json;
    }

    private static String written(String format, List<MetricFamily> corpus) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (format.equals(TEXT)) {
            TextFormat.write(out, corpus);
        } else {
            OpenMetricsFormat.write(out, corpus);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Object> parse(String format, String exposition) throws Exception {
        Result result = run(List.of(PYTHON.toString(), script().toString(), format), exposition);
        assertEquals(0, result.exitCode, "Python " + format + " parser: " + result.stderr + "\n" + exposition);
        return list(Json.parse(result.stdout));
    }

    private static Path script() throws URISyntaxException {
        return Path.of(ConformanceTest.class.getResource("parse_exposition.py").toURI());
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command, String stdin) throws Exception {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process, false));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process, true));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), stdout.get(), stderr.get());
    }

    private static String read(Process process, boolean error) {
        try {
            return new String((error ? process.getErrorStream() : process.getInputStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void requireTool(Path tool) {
        boolean present = Files.isExecutable(tool);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(tool + " is missing; CI must install it (prometheus / python3-prometheus-client)");
        }
        Assumptions.assumeTrue(present, tool + " is not installed");
    }

    private static void requirePythonClient() throws Exception {
        requireTool(PYTHON);
        Result result = run(List.of(PYTHON.toString(), "-c", "import prometheus_client"), "");
        if (result.exitCode != 0 && "true".equals(System.getenv("CI"))) {
            fail("python3-prometheus-client is missing: " + result.stderr);
        }
        Assumptions.assumeTrue(result.exitCode == 0, "python3-prometheus-client is not installed");
    }
}
