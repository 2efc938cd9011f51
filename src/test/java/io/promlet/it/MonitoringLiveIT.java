package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.monitoring.MonitoringFiles;
import io.promlet.monitoring.MonitoringFiles.PanelQuery;
import io.promlet.monitoring.MonitoringFiles.Rule;
import io.promlet.monitoring.MonitoringFiles.Variable;
import io.promlet.monitoring.PromQlNames;
import io.promlet.monitoring.Substitution;
import io.promlet.tools.RealTools;
import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the rules of {@code monitoring/} against live data. One Tomcat 11 runs the reference WAR three
 * times: as built (the filter at its defaults: a latency summary), with {@code native-histogram}, and with classic
 * {@code buckets} and a {@code max-paths} that the traffic exceeds. Debian's Prometheus, with native histograms on,
 * scrapes each as its own job and evaluates the rules every second, while paced traffic (fast, slow and, later,
 * failing requests) runs. Then every dashboard query, variables filled in, and every rule expression goes to
 * Prometheus' HTTP API and must give plausible answers, and the alerts must be in the states the traffic calls for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringLiveIT {

    private static final String SUMMARY = "promlet-summary";
    private static final String NATIVE = "promlet-native";
    private static final String CLASSIC = "promlet-classic";
    private static final List<String> JOBS = List.of(SUMMARY, NATIVE, CLASSIC);
    /** Above the 1 s of PromletHttpLatencyP99High, so that alert is pending for /slow of both histogram jobs. */
    private static final int SLOW_MILLIS = 1100;
    private static final String SLOW = "/slow?ms=" + SLOW_MILLIS;
    private static final List<String> FAST = List.of("/hello", "/users/7");
    /** Routes the classic job never admits: its max-paths is taken by /hello, /users/{id}, /slow and /fail. */
    private static final List<String> BEYOND_CAP = List.of("/items/sku-1", "/report.csv");
    /** A summary's quantiles are within 0.5% of the exact ones (QuantileWindow). */
    private static final double SUMMARY_PRECISION = 0.995;
    /** A native histogram bucket at the default schema is about 2.2% wide; its quantiles are that precise. */
    private static final double NATIVE_PRECISION = 0.97;
    private static final String RATE_INTERVAL = "1m";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static StandaloneContainer tomcat;
    private static PrometheusServer prometheus;
    private static final Map<String, PacedTraffic> TRAFFIC = new LinkedHashMap<>();
    private static boolean failing;

    @BeforeAll
    static void start() throws Exception {
        Path executable = RealTools.require(PrometheusServer.EXECUTABLE);
        StandaloneContainer.Kind kind = StandaloneContainer.Kind.TOMCAT_11;
        Path base = dir.resolve("tomcat");
        tomcat = StandaloneContainer.startEmpty(kind, base);
        tomcat.deployWar();
        deployVariant(kind, base, "native", Map.of("native-histogram", "true"));
        deployVariant(kind, base, "classic", Map.of("buckets", "0.005, 0.05, 0.25, 1, 2.5", "max-paths", "4"));
        Map<String, String> contexts = Map.of(SUMMARY, StandaloneContainer.CONTEXT_PATH, NATIVE, "/native",
                CLASSIC, "/classic");
        for (String job : JOBS) {
            String context = contexts.get(job);
            tomcat.process().await(context + "/hello answering 200", TIMEOUT,
                    () -> RealTools.get("http://" + tomcat.address() + context + "/hello") != null, ok -> ok);
        }
        prometheus = PrometheusServer.startWithRules(executable, Files.createDirectories(dir.resolve("prometheus")),
                JOBS.stream().map(job -> new PrometheusServer.ScrapeJob(job, contexts.get(job) + "/metrics",
                        List.of(tomcat.address()))).toList(),
                List.of(MonitoringFiles.RULES), List.of("--enable-feature=native-histograms"));
        // Traffic before the first scrape would hide in the series' first values, which rate() cannot see.
        prometheus.await("the first scrape of every job", TIMEOUT, () -> prometheus.value("count(up == 1)"),
                n -> n == JOBS.size());
        for (String job : JOBS) {
            PacedTraffic traffic = PacedTraffic.to("http://" + tomcat.address() + contexts.get(job));
            TRAFFIC.put(job, traffic);
            List<String> fast = new ArrayList<>(FAST);
            if (job.equals(CLASSIC)) {
                // Fill the four routes of max-paths (after the /hello probe) in this order, without a 5xx yet: a POST
                // to /fail is answered 405.
                assertEquals(200, traffic.send("GET", FAST.get(1)), FAST.get(1));
                assertEquals(200, traffic.send("GET", "/slow?ms=0"), "/slow");
                assertEquals(405, traffic.send("POST", PacedTraffic.FAILING), "POST " + PacedTraffic.FAILING);
                fast.addAll(BEYOND_CAP);
            }
            traffic.start(fast, SLOW);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (PacedTraffic traffic : TRAFFIC.values()) {
            traffic.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    @Order(1)
    void burnAlertsAbsentAtRest() throws Exception {
        if (failing) {
            return;
        }
        prometheus.await("error ratios of all three jobs", TIMEOUT,
                () -> jobsOf(prometheus.query("job:http_requests_errors:ratio_rate5m")), jobs -> jobs.size() == 3);
        awaitAlertEvaluationAfter(Instant.now());
        assertAll(
                () -> assertEquals(List.of(), prometheus.query("ALERTS{alertname=~\"PromletErrorBudgetBurn.*\"}")
                        .getList("data.result.metric"), "burn alerts at rest"),
                () -> assertEquals(Set.of(), jobsOf(prometheus.query(alert("PromletErrorBudgetBurn").expr())),
                        "the burn expression at rest"),
                () -> assertEquals(Map.of(SUMMARY, 0.0, NATIVE, 0.0, CLASSIC, 0.0),
                        byJob(prometheus.query("job:http_requests_errors:ratio_rate5m")), "error ratios at rest"));
    }

    @Test
    @Order(2)
    void burnAlertPendingOrFiringUnderFailureLoadOnlyForTheFailingJobs() throws Exception {
        awaitFailureLoad();
        awaitAlertEvaluationAfter(Instant.now());
        Map<String, String> states = new LinkedHashMap<>();
        List<Map<String, String>> alerts = prometheus.query("ALERTS{alertname=\"PromletErrorBudgetBurn\"}")
                .getList("data.result.metric");
        alerts.forEach(a -> states.put(a.get("job"), a.get("alertstate")));
        assertEquals(Set.of(NATIVE, CLASSIC), states.keySet(), "jobs with the burn alert: " + alerts);
        assertTrue(states.values().stream().allMatch(s -> s.equals("pending") || s.equals("firing")), states.toString());
    }

    @Test
    @Order(3)
    void everyDashboardQueryGivesPlausibleAnswers() throws Exception {
        awaitFailureLoad();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, List<Series>>> answers = new LinkedHashMap<>();
        for (PanelQuery query : MonitoringFiles.panelQueries()) {
            for (String job : jobsFor(query.expr())) {
                List<Series> series = series(prometheus.query(
                        Substitution.of(job, ".*", ".*", RATE_INTERVAL).apply(query.expr())));
                answers.computeIfAbsent(query.panel() + " " + query.refId(), q -> new LinkedHashMap<>()).put(job, series);
                if (series.isEmpty()) {
                    problems.add(query.panel() + " " + query.refId() + " for " + job + ": no series");
                }
                series.stream().filter(s -> !Double.isFinite(s.value()) || s.value() < 0)
                        .forEach(s -> problems.add(query.panel() + " " + query.refId() + " for " + job + ": " + s));
            }
        }
        assertEquals(List.of(), problems, "implausible answers");
        double slowSeconds = SLOW_MILLIS / 1000.0;
        assertAll(
                () -> assertTrue(JOBS.stream().allMatch(job -> value(answers, "Requests per second by path and status A",
                        job, Map.of("path", "/hello", "status", "200")) > 0), "/hello rates"),
                () -> assertEquals(List.of(1.0, 1.0), List.of(NATIVE, CLASSIC).stream().map(job -> value(answers,
                        "Error ratio (5xx) by path A", job, Map.of("path", "/fail"))).toList(), "error ratio of /fail"),
                () -> assertEquals(List.of(0.0, 0.0, 0.0), JOBS.stream().map(job -> value(answers,
                        "Error ratio (5xx) by path A", job, Map.of("path", "/hello"))).toList(),
                        "error ratio of /hello"),
                () -> assertTrue(value(answers, "Share of requests counted as OTHER (route cap) A", CLASSIC, Map.of())
                        > 0.2, "OTHER share of the classic job"),
                () -> assertEquals(0.0, value(answers, "Share of requests counted as OTHER (route cap) A", SUMMARY,
                        Map.of()), "OTHER share of the summary job"),
                () -> assertAtLeast(slowSeconds * SUMMARY_PRECISION, value(answers,
                        "Latency p50 / p90 / p99 (summary, per instance) A",
                        SUMMARY, Map.of("path", "/slow", "quantile", "0.5")), "summary median of /slow"),
                () -> assertAtLeast(slowSeconds, value(answers, "Latency p50 / p90 / p99 (classic histogram) A", CLASSIC,
                        Map.of("path", "/slow")), "classic median of /slow"),
                () -> assertAtLeast(slowSeconds * NATIVE_PRECISION, value(answers,
                        "Latency p50 / p90 / p99 (native histogram) A", NATIVE, Map.of("path", "/slow")),
                        "native median of /slow"),
                () -> assertAtLeast(slowSeconds, value(answers, "Latency p50 / p90 / p99 (native histogram) C", NATIVE,
                        Map.of("path", "/slow")), "native p99 of /slow"),
                () -> assertTrue(value(answers, "Response size, average per response A", SUMMARY,
                        Map.of("path", "/hello")) > 0, "response size of /hello"),
                () -> assertTrue(JOBS.stream().allMatch(job -> value(answers, "Heap: used, committed and max A", job,
                        Map.of()) < value(answers, "Heap: used, committed and max C", job, Map.of())), "heap below max"),
                () -> assertEquals(1.0, value(answers, "Targets up A", SUMMARY, Map.of()), "up"));
    }

    @Test
    @Order(4)
    void everyVariableOffersTheDrivenValues() throws Exception {
        awaitFailureLoad();
        Map<String, Set<String>> offered = new LinkedHashMap<>();
        for (Variable variable : MonitoringFiles.variables()) {
            String selector = Substitution.of(NATIVE, ".*", ".*", RATE_INTERVAL).apply(variable.selector());
            List<Map<String, String>> metrics = prometheus.query("group by (" + variable.label() + ") (" + selector + ")")
                    .getList("data.result.metric");
            offered.put(variable.name(), metrics.stream().map(m -> m.get(variable.label()))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertAll(
                () -> assertEquals(Set.copyOf(JOBS), offered.get("job")),
                () -> assertEquals(Set.of(tomcat.address()), offered.get("instance")),
                () -> assertTrue(offered.get("path").containsAll(Set.of("/hello", "/users/{id}", "/slow", "/fail")),
                        offered.get("path").toString()));
    }

    @Test
    @Order(5)
    void everyRuleIsLoadedHealthyAndRecordsPlausibleValues() throws Exception {
        awaitFailureLoad();
        List<Rule> rules = MonitoringFiles.rules();
        List<Map<String, Object>> loaded = prometheus.rules().getList("data.groups.rules.flatten()");
        Set<String> names = rules.stream().map(Rule::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> loadedNames = loaded.stream().map(r -> (String) r.get("name"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(names, loadedNames, "rules Prometheus loaded");
        assertEquals(rules.size(), loaded.size(), "rules Prometheus loaded");
        List<String> problems = new ArrayList<>();
        loaded.stream().filter(r -> !"ok".equals(r.get("health")))
                .forEach(r -> problems.add(r.get("name") + ": " + r.get("health") + " " + r.get("lastError")));
        for (Rule rule : rules.stream().filter(r -> !r.alert()).toList()) {
            List<Series> series = series(prometheus.query(rule.expr()));
            if (series.isEmpty()) {
                problems.add(rule.name() + ": no series");
            }
            series.stream().filter(s -> !Double.isFinite(s.value()) || s.value() < 0)
                    .forEach(s -> problems.add(rule.name() + ": " + s));
        }
        assertEquals(List.of(), problems);

        double slowSeconds = SLOW_MILLIS / 1000.0;
        List<Series> p99 = series(prometheus.query("job_path:http_request_duration_seconds:p99_rate5m"));
        List<Series> p50 = series(prometheus.query("job_path:http_request_duration_seconds:p50_rate5m"));
        assertAll(
                () -> assertTrue(JOBS.stream().allMatch(job -> recorded("job_path:http_requests:rate5m", job,
                        "/hello") > 0), "request rates of /hello"),
                () -> assertEquals(List.of(1.0, 1.0), List.of(NATIVE, CLASSIC).stream().map(job -> recorded(
                        "job_path:http_requests_errors:ratio_rate5m", job, "/fail")).toList(), "error ratio of /fail"),
                () -> assertEquals(Set.of(NATIVE, CLASSIC), p99.stream().map(s -> s.labels().get("job"))
                        .collect(Collectors.toSet()), "p99 for the histogram jobs only: a summary cannot be aggregated"),
                () -> assertTrue(p50.stream().filter(s -> s.labels().get("path").equals("/slow"))
                        .allMatch(s -> s.value() >= slowSeconds * NATIVE_PRECISION), "medians of /slow: " + p50),
                () -> assertEquals(0.0, byJob(prometheus.query("job:http_requests_errors:ratio_rate5m")).get(SUMMARY),
                        "error ratio of the job without failures"));
        for (String job : List.of(NATIVE, CLASSIC)) {
            PacedTraffic traffic = TRAFFIC.get(job);
            // Stopped, the traffic is counted exactly: what was sent, plus the probe that found the WAR deployed.
            traffic.close();
            double sent = (double) traffic.failures() / (traffic.sent() + 1);
            String what = job + " error ratio against the " + traffic.failures() + " failures in " + traffic.sent()
                    + " requests sent";
            long total = traffic.sent() + 1;
            prometheus.await(job + " requests counted: " + total, TIMEOUT,
                    () -> prometheus.value("sum(http_requests_total{job=\"" + job + "\"})"), n -> n == total);
            assertEquals(traffic.failures(), prometheus.value("sum(http_requests_total{job=\"" + job
                    + "\", status=~\"5..\"})"), what + ": 5xx counted");
            // Every window holds the whole run, so all give one ratio. rate() misses what came before a series' first
            // sample and extrapolates series younger than the window (the failures started later): in a run of
            // seconds that moves the ratio by several percent.
            double fiveMinutes = byJob(prometheus.query("job:http_requests_errors:ratio_rate5m")).get(job);
            assertEquals(sent, fiveMinutes, sent * 0.15, what + ", over 5m");
            for (String window : List.of("30m", "1h", "2h", "6h", "1d", "3d")) {
                double ratio = byJob(prometheus.query("job:http_requests_errors:ratio_rate" + window)).get(job);
                assertEquals(fiveMinutes, ratio, fiveMinutes * 0.05, what + ", over " + window + " and over 5m");
            }
        }
    }

    @Test
    @Order(6)
    void alertsInTheStatesTheTrafficCallsFor() throws Exception {
        awaitFailureLoad();
        prometheus.await("PromletHttpLatencyP99High for /slow of both histogram jobs", TIMEOUT,
                () -> alerting("PromletHttpLatencyP99High"), jobs -> jobs.equals(Set.of(NATIVE + " /slow",
                        CLASSIC + " /slow")));
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("PromletErrorBudgetBurn", Set.of(NATIVE + " ", CLASSIC + " "));
        expected.put("PromletErrorBudgetBurnSlow", Set.of(NATIVE + " ", CLASSIC + " "));
        expected.put("PromletHttpLatencyP99High", Set.of(NATIVE + " /slow", CLASSIC + " /slow"));
        expected.put("PromletTargetDown", Set.of());
        expected.put("PromletHeapNearMax", Set.of());
        expected.put("PromletGcTimeHigh", Set.of());
        expected.put("PromletRouteCapReached", Set.of(CLASSIC + " "));
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        Map<String, Set<String>> evaluated = new LinkedHashMap<>();
        for (Rule rule : MonitoringFiles.rules().stream().filter(Rule::alert).toList()) {
            actual.put(rule.name(), alerting(rule.name()));
            evaluated.put(rule.name(), series(prometheus.query(rule.expr())).stream()
                    .map(s -> s.labels().get("job") + " " + s.labels().getOrDefault("path", ""))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertAll(
                () -> assertEquals(expected, actual, "ALERTS, pending or firing"),
                () -> assertEquals(expected, evaluated, "the alert expressions evaluated now"),
                () -> assertEquals(List.of(), TRAFFIC.values().stream().flatMap(t -> t.unexpected().stream()).toList(),
                        "unexpected answers to the traffic"));
    }

    @Test
    @Order(7)
    void everyNameTheQueriesAndRulesSelectIsInPrometheus() throws Exception {
        awaitFailureLoad();
        Set<String> names = new TreeSet<>();
        MonitoringFiles.panelQueries().forEach(q -> names.addAll(PromQlNames.of(q.expr())));
        MonitoringFiles.rules().forEach(r -> names.addAll(PromQlNames.of(r.expr())));
        List<String> absent = names.stream().filter(name -> series(prometheus.query(
                "count({__name__=\"" + name + "\"})")).isEmpty()).toList();
        assertEquals(List.of(), absent, "names selected but not in Prometheus, of " + names);
    }

    private static void assertAtLeast(double minimum, double actual, String what) {
        assertTrue(actual >= minimum, what + ": " + actual + ", expected at least " + minimum);
    }

    /** One series of an instant query's answer. */
    private record Series(Map<String, String> labels, double value) {
    }

    private static synchronized void awaitFailureLoad() throws Exception {
        if (failing) {
            return;
        }
        failing = true;
        TRAFFIC.get(NATIVE).failToo();
        TRAFFIC.get(CLASSIC).failToo();
        // Enough slow requests for medians that are not the one /slow?ms=0 of the classic job.
        prometheus.await("PromletErrorBudgetBurn for the failing jobs, five /slow requests each", TIMEOUT,
                () -> alerting("PromletErrorBudgetBurn").size() == 2 && JOBS.stream().allMatch(job ->
                        prometheus.value("sum(http_requests_total{job=\"" + job + "\", path=\"/slow\"})") >= 6),
                done -> done);
    }

    /** Waits until the alerting rules have been evaluated after {@code moment}. */
    private static void awaitAlertEvaluationAfter(Instant moment) throws InterruptedException {
        prometheus.await("an evaluation of the alerts after " + moment, TIMEOUT,
                () -> Instant.parse(prometheus.rules().getString("data.groups.find { it.name == 'promlet-alerts' }"
                        + ".lastEvaluation")), moment::isBefore);
    }

    /** The jobs (and paths) for which {@code alert} is pending or firing, as {@code "job path"}. */
    private static Set<String> alerting(String alert) {
        return series(prometheus.query("ALERTS{alertname=\"" + alert + "\"}")).stream()
                .map(s -> s.labels().get("job") + " " + s.labels().getOrDefault("path", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Rule alert(String name) {
        return MonitoringFiles.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** The jobs a dashboard query must answer for: a latency kind's own job, else all three. */
    private static List<String> jobsFor(String query) {
        if (query.contains("_bucket")) {
            return List.of(CLASSIC);
        }
        if (query.contains("quantile=~")) {
            return List.of(SUMMARY);
        }
        if (query.contains("histogram_quantile")) {
            return List.of(NATIVE);
        }
        return JOBS;
    }

    private static double recorded(String name, String job, String path) {
        return prometheus.value(name + "{job=\"" + job + "\", path=\"" + path + "\"}");
    }

    private static double value(Map<String, Map<String, List<Series>>> answers, String query, String job,
            Map<String, String> labels) {
        Predicate<Series> matching = s -> labels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())));
        List<Series> found = answers.get(query).get(job).stream().filter(matching).toList();
        if (found.isEmpty()) {
            throw new AssertionError(query + " for " + job + " has no series " + labels + ": "
                    + answers.get(query).get(job));
        }
        return found.stream().mapToDouble(Series::value).max().orElseThrow();
    }

    private static List<Series> series(JsonPath answer) {
        List<Map<String, Object>> result = answer.getList("data.result");
        return result.stream().map(r -> {
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) r.get("metric");
            return new Series(labels, Double.parseDouble((String) ((List<?>) r.get("value")).get(1)));
        }).toList();
    }

    private static Set<String> jobsOf(JsonPath answer) {
        return series(answer).stream().map(s -> s.labels().get("job")).collect(Collectors.toSet());
    }

    private static Map<String, Double> byJob(JsonPath answer) {
        return series(answer).stream().collect(Collectors.toMap(s -> s.labels().get("job"), Series::value));
    }

    /** Deploys the reference WAR under {@code /name}, its filter given these init-params as well. */
    private static void deployVariant(StandaloneContainer.Kind kind, Path base, String name,
            Map<String, String> initParams) throws IOException {
        Path war = Files.copy(kind.war(), dir.resolve(name + ".war"), StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path webXml = zip.getPath("WEB-INF/web.xml");
            String filterClass = "<filter-class>io.promlet.servlet.MetricsFilter</filter-class>";
            String xml = Files.readString(webXml);
            assertTrue(xml.contains(filterClass), "the reference web.xml declares MetricsFilter");
            String params = initParams.entrySet().stream().map(e -> "\n    <init-param><param-name>" + e.getKey()
                    + "</param-name><param-value>" + e.getValue() + "</param-value></init-param>")
                    .collect(Collectors.joining());
            Files.writeString(webXml, xml.replace(filterClass, filterClass + params));
        }
        // Moved in whole, so Tomcat's scan never sees half a WAR.
        Files.move(war, kind.webapps(base).resolve(name + ".war"), StandardCopyOption.ATOMIC_MOVE);
    }
}
