package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import io.promlet.Summary;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.tools.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path dir;

    private final Map<String, String> contextParams = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> initParams = new LinkedHashMap<>();
    /** Where {@code promlet.properties} is on the class path, if written. */
    private ClassLoader classPath = new URLClassLoader(new URL[0], null);

    private Settings settings() {
        return Settings.of(contextParams, new Settings.Environment(systemProperties, variables, classPath))
                .withInitParams("MetricsFilter test", Collections.enumeration(initParams.keySet()), initParams::get,
                        Settings.FILTER_KEYS);
    }

    private void classPathFile(String text) throws IOException {
        Files.writeString(dir.resolve("promlet.properties"), text);
        classPath = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }

    @Test
    void firstSourceWinsInTheAgreedOrder() throws IOException {
        classPathFile("promlet.buckets=5\n");
        assertArrayEquals(new double[] {5}, settings().numbers("buckets"), "promlet.properties on the class path");
        variables.put("PROMLET_BUCKETS", "4");
        assertArrayEquals(new double[] {4}, settings().numbers("buckets"), "environment variable over the file");
        systemProperties.put("promlet.buckets", "3");
        assertArrayEquals(new double[] {3}, settings().numbers("buckets"), "system property over the environment");
        contextParams.put("promlet.buckets", "2");
        assertArrayEquals(new double[] {2}, settings().numbers("buckets"), "context-param over the system property");
        initParams.put("buckets", "1");
        assertArrayEquals(new double[] {1}, settings().numbers("buckets"), "init-param over everything");
        assertNull(settings().numbers("quantiles"), "a setting no source has");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        variables.put("PROMLET_EXCLUDE_PATHS", "/health, /ready");
        variables.put("PROMLET_METRIC_JOB_SECONDS_NATIVE_MAX_NUMBER_OF_BUCKETS", "12");
        assertEquals(List.of("/health", "/ready"), settings().list("exclude-paths"));
        assertEquals("12", settings().metricSettings().apply("promlet.metric.job_seconds.native-max-number-of-buckets"));
        assertEquals("PROMLET_METRIC_A_B_NATIVE_HISTOGRAM", Settings.variableName("promlet.metric.a_b.native-histogram"));
    }

    @Test
    void fileNamedBySystemPropertyOrEnvironmentReplacesTheClassPathOne() throws IOException {
        classPathFile("promlet.max-paths=1\n");
        Path file = Files.writeString(dir.resolve("elsewhere.properties"), "promlet.max-paths=7\n");
        variables.put("PROMLET_CONFIG", file.toString());
        assertEquals(7, settings().integer("max-paths"), "PROMLET_CONFIG");
        variables.clear();
        systemProperties.put("promlet.config", file.toString());
        assertEquals(7, settings().integer("max-paths"), "promlet.config");
        systemProperties.put("promlet.config", dir.resolve("missing.properties").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::settings);
        assertTrue(e.getMessage().startsWith("setting promlet.config=\"" + dir.resolve("missing.properties")),
                e.getMessage());
    }

    @Test
    void invalidValueNamesSettingSourceAndValue() throws IOException {
        systemProperties.put("promlet.buckets", "0.1, fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings().numbers("buckets"));
        assertEquals("setting promlet.buckets from system property promlet.buckets=\"0.1, fast\": \"fast\" is not a "
                + "number", e.getMessage());
        variables.put("PROMLET_COUNT_SCRAPES", "yes");
        e = assertThrows(IllegalArgumentException.class, () -> settings().bool("count-scrapes"));
        assertEquals("setting promlet.count-scrapes from environment variable PROMLET_COUNT_SCRAPES=\"yes\": \"yes\" "
                + "is neither true nor false", e.getMessage());
        initParams.put("max-paths", "many");
        e = assertThrows(IllegalArgumentException.class, () -> settings().integer("max-paths"));
        assertEquals("setting promlet.max-paths from init-param max-paths=\"many\": \"many\" is not an integer",
                e.getMessage());
        contextParams.put("promlet.allowed-addresses", "10.0.0.0/8, intranet");
        e = assertThrows(IllegalArgumentException.class,
                () -> settings().parsed("allowed-addresses", v -> AddressAllowList.parse(List.of(v.split(",\\s*")))));
        assertEquals("setting promlet.allowed-addresses from context-param promlet.allowed-addresses=\"10.0.0.0/8, "
                + "intranet\": \"intranet\" is not an IP address", e.getMessage());
    }

    @Test
    void invalidPerMetricValueStopsTheStartWithItsSource() throws IOException {
        classPathFile("promlet.metric.job_seconds.buckets=1, 2, x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::settings);
        assertTrue(e.getMessage().startsWith("setting promlet.metric.job_seconds.buckets from promlet.properties at "
                + new URL(dir.toUri().toURL(), "promlet.properties")), e.getMessage());
        assertTrue(e.getMessage().endsWith("=\"1, 2, x\": \"x\" is not a number"), e.getMessage());
    }

    @Test
    void unknownKeysGetOneWarningWithTheClosestKnownKey() {
        systemProperties.put("promlet.exclude-path", "/health");
        systemProperties.put("java.version", "unrelated");
        variables.put("PROMLET_MAX_PATH", "3");
        variables.put("HOME", "/root");
        contextParams.put("promlet.metric.job_seconds.bucket", "1");
        initParams.put("bucket", "1");
        List<String> warnings;
        try (LogCapture log = LogCapture.of(Settings.class.getName())) {
            settings();
            warnings = log.records().stream().map(r -> MessageFormat.format(r.getMessage(), r.getParameters()))
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(
                "unknown setting promlet.metric.job_seconds.bucket (context-param) is ignored; did you mean "
                        + "promlet.metric.job_seconds.buckets?",
                "unknown setting promlet.exclude-path (system property) is ignored; did you mean promlet.exclude-paths?",
                "unknown setting PROMLET_MAX_PATH (environment variable) is ignored; did you mean PROMLET_MAX_PATHS?",
                "MetricsFilter test: unknown init-param \"bucket\" is ignored; did you mean buckets?; known are "
                        + new java.util.TreeSet<>(Settings.FILTER_KEYS)), warnings);
    }

    @Test
    void perMetricSettingsApplyWhereTheCodeSetNothing() throws IOException {
        classPathFile("promlet.metric.job_seconds.buckets=1, 5\n"
                + "promlet.metric.coded_seconds.buckets=1, 5\n"
                + "promlet.metric.classic_seconds.native-histogram=false\n"
                + "promlet.metric.fine_seconds.native-initial-schema=8\n");
        variables.put("PROMLET_METRIC_PAUSE_SECONDS_QUANTILES", "0.5, 0.99");
        CollectorRegistry registry = new CollectorRegistry();
        registry.setMetricSettings(settings().metricSettings());

        Histogram job = Histogram.builder().name("job_seconds").help("h").register(registry);
        Histogram coded = Histogram.builder().name("coded_seconds").help("h").buckets(2).register(registry);
        Histogram classic = Histogram.builder().name("classic_seconds").help("h").register(registry);
        Histogram fine = Histogram.builder().name("fine").unit("seconds").help("h").register(registry);
        Histogram codedNative = Histogram.builder().name("coded_native_seconds").help("h").nativeOnly()
                .register(registry);
        Summary pause = Summary.builder().name("pause_seconds").help("s").register(registry);
        for (Histogram h : List.of(job, coded, classic, fine, codedNative)) {
            h.observe(1.5);
        }
        pause.observe(1);

        assertArrayEquals(new double[] {1, 5, Double.POSITIVE_INFINITY}, point(job).upperBounds(), "from the file");
        assertArrayEquals(new double[] {2, Double.POSITIVE_INFINITY}, point(coded).upperBounds(), "the code wins");
        assertNull(point(classic).nativeBuckets(), "native-histogram=false: classic only");
        assertNotNull(point(job).nativeBuckets(), "native buckets by default");
        assertEquals(8, point(fine).nativeBuckets().schema(), "the name with its unit");
        assertEquals(5, point(codedNative).nativeBuckets().schema(), "nothing configured");
        SummaryMetricFamily.Point summary = (SummaryMetricFamily.Point) registry.collect().stream()
                .filter(f -> f.name().equals("pause_seconds")).findFirst().orElseThrow().points().get(0);
        assertArrayEquals(new double[] {0.5, 0.99}, summary.quantiles(), "from the environment");
    }

    @Test
    void perMetricValueThatTheMetricRejectsNamesTheMetric() {
        CollectorRegistry registry = new CollectorRegistry();
        Map<String, String> values = new HashMap<>(Map.of("promlet.metric.job_seconds.buckets", "5, 1"));
        registry.setMetricSettings(values::get);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("job_seconds").help("h").register(registry));
        assertEquals("histogram job_seconds: buckets must be sorted and distinct, but 1.0 follows 5.0", e.getMessage());
        values.put("promlet.metric.job_seconds.buckets", "1, five");
        e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.builder().name("job_seconds").help("h").register(registry));
        assertEquals("metric job_seconds: setting promlet.metric.job_seconds.buckets: \"five\" is not a number",
                e.getMessage());
    }

    /** The table of docs/configuration.md has a row for every key, with its environment variable. */
    @Test
    void everyKeyIsInTheConfigurationPage() throws IOException {
        String page = Files.readString(Path.of("docs/configuration.md"));
        List<String> keys = new java.util.ArrayList<>();
        java.util.stream.Stream.of(Settings.APPLICATION_KEYS, Settings.FILTER_KEYS, Settings.SERVLET_KEYS)
                .flatMap(List::stream).distinct().forEach(key -> keys.add("promlet." + key));
        Settings.METRIC_KEYS.keySet().forEach(key -> keys.add("promlet.metric.<name>." + key));
        for (String key : keys) {
            assertTrue(page.contains("| `" + key + "` |"), key + " has no row");
            assertTrue(page.contains("`" + Settings.variableName(key) + "`"),
                    key + " has no environment variable");
        }
    }

    private static HistogramMetricFamily.Point point(Histogram histogram) {
        return (HistogramMetricFamily.Point) histogram.collect().get(0).points().get(0);
    }
}
