package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 22 in real containers: the reference WAR's {@code web.xml} without its promlet lines, the jar alone in
 * {@code WEB-INF/lib}, registers the filter and {@code /metrics} through the jar's web fragment; settings reach it from
 * system properties, environment variables and {@code promlet.properties}. One container start deploys several WARs:
 * <ul>
 *   <li>{@code auto}: nothing but the jar;
 *   <li>{@code off}: {@code promlet.auto-register=false} in its {@code WEB-INF/classes/promlet.properties};
 *   <li>{@code own}: the reference WAR unchanged, which declares the filter and servlet itself;
 *   <li>{@code file}: its own {@code promlet.properties}, with an unknown key too;
 *   <li>{@code complete} and {@code ordered}: {@code metadata-complete="true"}, an empty {@code <absolute-ordering/>};
 *   <li>{@code bad}: a malformed value in its {@code promlet.properties}, which must stop its deployment.
 * </ul>
 */
class DropInIT {
    private static final Duration COUNTED_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PROMLET_BLOCKS = Pattern.compile("\\s*<!-- promlet:[^>]*-->"
            + "|\\s*<filter>.*?</filter>|\\s*<filter-mapping>.*?</filter-mapping>"
            + "|\\s*<servlet>\\s*<servlet-name>metrics</servlet-name>.*?</servlet>"
            + "|\\s*<servlet-mapping>\\s*<servlet-name>metrics</servlet-name>.*?</servlet-mapping>", Pattern.DOTALL);
    private static final String HELLO = "/hello";
    private static final String EXCLUDED = "/users/7";
    private static final int HELLOS = 3;
    private static final Map<String, String> HELLO_LABELS = Map.of("method", "GET", "path", HELLO, "status", "200");

    /** The acceptance's matrix: both namespaces, two Tomcat and two Jetty generations, and WildFly. */
    static List<StandaloneContainer.Kind> containers() {
        List<StandaloneContainer.Kind> matrix = List.of(StandaloneContainer.Kind.TOMCAT_9,
                StandaloneContainer.Kind.JETTY_10, StandaloneContainer.Kind.TOMCAT_11,
                StandaloneContainer.Kind.JETTY_12_EE10, StandaloneContainer.Kind.WILDFLY);
        List<StandaloneContainer.Kind> only = ContainerDeploymentIT.containers();
        return matrix.stream().filter(only::contains).collect(Collectors.toList());
    }

    /**
     * The system property sets the buckets and the environment variable the excluded paths; both win over the
     * {@code file} WAR's own file, which has other values for both.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    @Execution(ExecutionMode.CONCURRENT)
    void registersItselfAndReadsSettingsFromOutsideTheWar(StandaloneContainer.Kind kind, @TempDir Path base)
            throws Exception {
        Path wars = Files.createDirectories(base.resolve("wars"));
        Map<String, Path> deployed = new LinkedHashMap<>();
        deployed.put("auto", war(kind, wars.resolve("auto.war"), null));
        deployed.put("off", war(kind, wars.resolve("off.war"), "promlet.auto-register=false\n"));
        deployed.put("own", kind.war());
        deployed.put("file", war(kind, wars.resolve("file.war"),
                "promlet.buckets=0.5, 5\npromlet.exclude-paths=/hello\npromlet.bukets=1\n"));
        deployed.put("complete", war(kind, wars.resolve("complete.war"), null,
                xml -> xml.replaceFirst("<web-app ", "<web-app metadata-complete=\"true\" ")));
        deployed.put("ordered", war(kind, wars.resolve("ordered.war"), null,
                xml -> xml.replaceFirst("</display-name>", "</display-name>\n  <absolute-ordering/>")));
        Files.createDirectories(kind.webapps(base));
        war(kind, kind.webapps(base).resolve("bad.war"), "promlet.max-paths=many\n");
        StandaloneContainer.Settings settings = new StandaloneContainer.Settings(
                Map.of("promlet.buckets", "0.0123,0.123,1.23"), Map.of("PROMLET_EXCLUDE_PATHS", "/users/**"));

        try (StandaloneContainer container = StandaloneContainer.startWithWars(kind, base, deployed, settings, HELLO)) {
            Map<String, Double> before = new LinkedHashMap<>();
            for (String war : List.of("auto", "own", "file")) {
                before.put(war, hellos(container, war));
            }
            for (String war : deployed.keySet()) {
                traffic(container, war);
            }
            String auto = awaitHellos(container, "auto", before.get("auto"));
            String own = awaitHellos(container, "own", before.get("own"));
            String file = awaitHellos(container, "file", before.get("file"));
            String logs = container.logs();
            assertAll(
                    () -> assertEquals(Set.of("0.0123", "0.123", "1.23", "+Inf"), bounds(auto),
                            "buckets from the system property"),
                    () -> assertEquals(Set.of("0.0123", "0.123", "1.23", "+Inf"), bounds(file),
                            "the system property wins over the file"),
                    () -> assertEquals(404, container.getAbsolute("/off/metrics").statusCode(),
                            "auto-register=false: no /metrics"),
                    () -> assertEquals(404, container.getAbsolute("/complete/metrics").statusCode(),
                            "metadata-complete: no fragments, no /metrics"),
                    () -> assertEquals(404, container.getAbsolute("/ordered/metrics").statusCode(),
                            "an absolute-ordering without promlet: no /metrics"),
                    () -> assertTrue(own.contains("http_response_size_bytes"), "own: its web.xml's filter"),
                    () -> assertFalse(logs.contains("measures nothing"), "no second filter, nothing logged"),
                    () -> assertTrue(logs.contains("unknown setting promlet.bukets"), "unknown key warned"),
                    () -> assertTrue(logs.contains("did you mean promlet.buckets?"), "closest key named"),
                    () -> assertNotEquals(200, container.getAbsolute("/bad" + HELLO).statusCode(),
                            "a malformed value stops the deployment"),
                    () -> container.process().await("the bad WAR's failure naming the setting and its source",
                            COUNTED_TIMEOUT, container::logs,
                            log -> log.contains("setting promlet.max-paths from promlet.properties at ")));
        }
    }

    /** The other two sources alone on one container: the environment's buckets with a system property's exclusion, then the file's. */
    @Test
    void environmentThenFileAlone(@TempDir Path base) throws Exception {
        StandaloneContainer.Kind kind = StandaloneContainer.Kind.JETTY_12_EE10;
        Map<String, Path> auto = Map.of("auto", war(kind, Files.createDirectories(base.resolve("wars"))
                .resolve("auto.war"), null));
        StandaloneContainer.Settings environment = new StandaloneContainer.Settings(
                Map.of("promlet.exclude-paths", "/users/**"), Map.of("PROMLET_BUCKETS", "0.25,2.5"));
        try (StandaloneContainer container = StandaloneContainer.startWithWars(kind,
                Files.createDirectories(base.resolve("environment")), auto, environment, HELLO)) {
            double before = hellos(container, "auto");
            traffic(container, "auto");
            assertEquals(Set.of("0.25", "2.5", "+Inf"), bounds(awaitHellos(container, "auto", before)),
                    "buckets from the environment variable, /users excluded by the system property");
        }
        Map<String, Path> file = Map.of("file", war(kind, base.resolve("wars/file.war"),
                "promlet.buckets=0.5, 5\npromlet.exclude-paths=/users/**\n"));
        try (StandaloneContainer container = StandaloneContainer.startWithWars(kind,
                Files.createDirectories(base.resolve("file")), file, StandaloneContainer.Settings.NONE, HELLO)) {
            double before = hellos(container, "file");
            traffic(container, "file");
            assertEquals(Set.of("0.5", "5.0", "+Inf"), bounds(awaitHellos(container, "file", before)),
                    "buckets and exclusion from WEB-INF/classes/promlet.properties");
        }
    }

    private static void traffic(StandaloneContainer container, String war) throws Exception {
        for (int i = 0; i < HELLOS; i++) {
            assertEquals(200, container.getAbsolute("/" + war + HELLO).statusCode(), war + HELLO);
        }
        container.getAbsolute("/" + war + EXCLUDED);
    }

    /** The WAR's count of {@code GET /hello}: the start probe's, which may have been retried. */
    private static double hellos(StandaloneContainer container, String war) throws Exception {
        return ScriptedRequests.scraped(container.getAbsolute("/" + war + "/metrics").body(), "http_requests_total")
                .getOrDefault(HELLO_LABELS, 0.0);
    }

    /**
     * Waits until the WAR's {@code /metrics} shows {@link #HELLOS} more {@code GET /hello} than {@code before} and no
     * other request (the excluded path is not counted), and returns that scrape.
     */
    private static String awaitHellos(StandaloneContainer container, String war, double before)
            throws InterruptedException {
        String path = "/" + war + "/metrics";
        Map<Map<String, String>, Double> expected = Map.of(HELLO_LABELS, before + HELLOS);
        container.process().await(path + " counts " + expected, COUNTED_TIMEOUT,
                () -> ScriptedRequests.scraped(container.getAbsolute(path).body(), "http_requests_total"),
                expected::equals);
        try {
            return container.getAbsolute(path).body();
        } catch (IOException e) {
            throw new AssertionError(path, e);
        }
    }

    /** The {@code le} of the latency buckets of {@code GET /hello}. */
    private static Set<String> bounds(String scrape) {
        return ScriptedRequests.scraped(scrape, "http_request_duration_seconds_bucket").keySet().stream()
                .filter(labels -> HELLO.equals(labels.get("path"))).map(labels -> labels.get("le"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The container's reference WAR with no promlet line in its {@code web.xml}, and with this
     * {@code WEB-INF/classes/promlet.properties} unless null.
     */
    private static Path war(StandaloneContainer.Kind kind, Path target, String properties) throws IOException {
        return war(kind, target, properties, UnaryOperator.identity());
    }

    /** The same, with {@code edit} applied to the {@code web.xml} without promlet lines. */
    private static Path war(StandaloneContainer.Kind kind, Path target, String properties, UnaryOperator<String> edit)
            throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(kind.war()));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("WEB-INF/web.xml")) {
                    out.write(edit.apply(withoutPromlet(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            if (properties != null) {
                out.putNextEntry(new ZipEntry("WEB-INF/classes/promlet.properties"));
                out.write(properties.getBytes(StandardCharsets.ISO_8859_1));
                out.closeEntry();
            }
        }
        return target;
    }

    private static String withoutPromlet(String webXml) {
        String stripped = PROMLET_BLOCKS.matcher(webXml).replaceAll("")
                .replace("<display-name>promlet demo</display-name>", "<display-name>demo</display-name>");
        // What remains of promlet is the demo servlets' package, io.promlet.demo.
        if (stripped.replace("io.promlet.demo.", "").toLowerCase().contains("promlet")) {
            throw new AssertionError("web.xml still mentions promlet:\n" + stripped);
        }
        return stripped;
    }
}
