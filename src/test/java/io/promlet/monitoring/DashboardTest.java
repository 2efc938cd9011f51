package io.promlet.monitoring;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.monitoring.MonitoringFiles.PanelQuery;
import io.promlet.monitoring.MonitoringFiles.Variable;
import io.restassured.path.json.JsonPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard of monitoring/, checked as Grafana imports it and against the names promlet emits. */
class DashboardTest {

    private static final Map<String, Object> DATASOURCE = Map.of("type", "prometheus", "uid", "${DS_PROMETHEUS}");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern SELECTOR = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{[^}]*}");
    /** Each row, and the panels it holds (by the start of their titles), as the issue asks for them. */
    private static final Map<String, List<String>> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("Requests", List.of("Requests per second by path and status", "Error ratio (5xx) by path",
                "Requests in progress", "Share of requests counted as OTHER", "Targets up",
                "Response size", "Response bytes"));
        ROWS.put("Latency", List.of("Latency p50 / p90 / p99 (summary, per instance)",
                "Latency p50 / p90 / p99 (classic histogram)", "Latency p50 / p90 / p99 (native histogram)"));
        ROWS.put("JVM", List.of("Heap", "Non-heap", "GC time share", "Threads", "Classes", "Buffer pools"));
        ROWS.put("Process", List.of("CPU", "Resident memory", "Open file descriptors"));
        ROWS.put("Multi-process mode", List.of("Requests per second per target", "Requests in progress per process"));
    }

    private final JsonPath dashboard = MonitoringFiles.dashboard();

    @Test
    void importsWithOnePrometheusDatasourceInput() {
        assertAll(
                () -> assertEquals(List.of(Map.of("name", "DS_PROMETHEUS", "label", "Prometheus",
                        "description", "The Prometheus that scrapes the application", "type", "datasource",
                        "pluginId", "prometheus", "pluginName", "Prometheus")), dashboard.getList("__inputs")),
                () -> assertTrue(dashboard.getList("__requires.id").containsAll(List.of("grafana", "prometheus",
                        "timeseries")), "__requires"),
                () -> assertFalse(dashboard.getString("uid").isEmpty(), "uid"),
                () -> assertTrue(dashboard.getInt("schemaVersion") >= 36, "schema version"));
    }

    @Test
    void everyPanelQueryAndVariableUsesThatDatasource() {
        List<Map<String, Object>> panels = MonitoringFiles.panels();
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            if (!DATASOURCE.equals(panel.get("datasource"))) {
                wrong.add("panel " + panel.get("title"));
            }
            for (Object target : (List<?>) panel.get("targets")) {
                if (!DATASOURCE.equals(((Map<?, ?>) target).get("datasource"))) {
                    wrong.add("query " + ((Map<?, ?>) target).get("refId") + " of " + panel.get("title"));
                }
            }
        }
        List<Map<String, Object>> variables = dashboard.getList("templating.list");
        variables.stream().filter(v -> !DATASOURCE.equals(v.get("datasource")))
                .forEach(v -> wrong.add("variable " + v.get("name")));
        assertEquals(List.of(), wrong);
    }

    @Test
    void jobInstanceAndPathVariablesEachNarrowedByTheOnesBefore() {
        List<Variable> variables = MonitoringFiles.variables();
        assertEquals(List.of("job", "instance", "path"), variables.stream().map(Variable::name).toList());
        assertEquals(List.of("job", "instance", "path"), variables.stream().map(Variable::label).toList());
        assertAll(
                () -> assertEquals("label_values(http_requests_total, job)", variables.get(0).query()),
                () -> assertEquals("label_values(http_requests_total{job=~\"$job\"}, instance)",
                        variables.get(1).query()),
                () -> assertEquals("label_values(http_requests_total{job=~\"$job\", instance=~\"$instance\"}, path)",
                        variables.get(2).query()),
                () -> assertEquals(List.of(".*", ".*", ".*"), dashboard.getList("templating.list.allValue")),
                () -> assertEquals(List.of(false, true, true), dashboard.getList("templating.list.multi")));
    }

    @Test
    void rowsHoldThePanelsTheIssueAsksFor() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        List<String> current = null;
        List<Map<String, Object>> all = dashboard.getList("panels");
        for (Map<String, Object> panel : all) {
            if ("row".equals(panel.get("type"))) {
                current = new ArrayList<>();
                found.put((String) panel.get("title"), current);
            } else {
                assertTrue(current != null, "panel " + panel.get("title") + " before the first row");
                current.add((String) panel.get("title"));
            }
        }
        assertEquals(ROWS.keySet(), found.keySet(), "rows");
        ROWS.forEach((row, expected) -> {
            List<String> titles = found.get(row);
            assertEquals(expected.size(), titles.size(), "panels of row " + row + ": " + titles);
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(titles.get(i).startsWith(expected.get(i)), row + " panel " + i + ": " + titles.get(i));
            }
        });
    }

    @Test
    void panelsHaveUniqueIdsTitlesAndRefIdsADescriptionAndDoNotOverlap() {
        List<Map<String, Object>> all = dashboard.getList("panels");
        Set<Object> ids = new HashSet<>();
        Set<Object> titles = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (Map<String, Object> panel : all) {
            Object title = panel.get("title");
            assertTrue(ids.add(panel.get("id")), "id of " + title);
            assertTrue(titles.add(title), "title " + title);
            Map<?, ?> grid = (Map<?, ?>) panel.get("gridPos");
            int x = (Integer) grid.get("x");
            int y = (Integer) grid.get("y");
            int w = (Integer) grid.get("w");
            int h = (Integer) grid.get("h");
            assertTrue(x >= 0 && w > 0 && x + w <= 24 && h > 0, "grid position of " + title + ": " + grid);
            for (int i = x; i < x + w; i++) {
                for (int j = y; j < y + h; j++) {
                    assertTrue(cells.add(i + "," + j), title + " overlaps another panel at " + i + "," + j);
                }
            }
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            assertEquals("timeseries", panel.get("type"), "type of " + title);
            assertFalse(((String) panel.get("description")).isBlank(), "description of " + title);
            assertFalse(((String) ((Map<?, ?>) ((Map<?, ?>) panel.get("fieldConfig")).get("defaults")).get("unit"))
                    .isBlank(), "unit of " + title);
            List<?> targets = (List<?>) panel.get("targets");
            assertFalse(targets.isEmpty(), "queries of " + title);
            Set<Object> refIds = new HashSet<>();
            for (Object target : targets) {
                Map<?, ?> t = (Map<?, ?>) target;
                assertTrue(refIds.add(t.get("refId")), "refId " + t.get("refId") + " of " + title);
                assertFalse(((String) t.get("legendFormat")).isBlank(), "legend of " + t.get("refId") + " of " + title);
            }
        }
    }

    @Test
    void everySelectorIsNarrowedByTheJobAndInstanceVariables() {
        List<String> unfiltered = new ArrayList<>();
        for (PanelQuery query : MonitoringFiles.panelQueries()) {
            Matcher matchers = MATCHERS.matcher(query.expr());
            int selectors = 0;
            while (matchers.find()) {
                selectors++;
                if (!matchers.group().contains("job=~\"$job\"") || !matchers.group().contains("instance=~\"$instance\"")) {
                    unfiltered.add(query.panel() + " " + query.refId() + ": " + matchers.group());
                }
            }
            Set<String> bare = PromQlNames.of(SELECTOR.matcher(query.expr()).replaceAll("0"));
            if (selectors == 0 || !bare.isEmpty()) {
                unfiltered.add(query.panel() + " " + query.refId() + ": selectors without matchers " + bare);
            }
        }
        assertEquals(List.of(), unfiltered);
    }

    @Test
    void latencyPanelsAggregateOnlyWhatCanBeAggregated() {
        Map<String, List<String>> byPanel = new LinkedHashMap<>();
        MonitoringFiles.panelQueries().forEach(q -> byPanel.computeIfAbsent(q.panel(), p -> new ArrayList<>())
                .add(q.expr()));
        String summary = "Latency p50 / p90 / p99 (summary, per instance)";
        String description = MonitoringFiles.panels().stream().filter(p -> summary.equals(p.get("title")))
                .map(p -> (String) p.get("description")).findFirst().orElseThrow();
        assertAll(
                () -> assertTrue(description.contains("cannot be aggregated"), description),
                () -> assertEquals(List.of("http_request_duration_seconds{job=~\"$job\", instance=~\"$instance\", "
                        + "path=~\"$path\", quantile=~\"0.5|0.9|0.99\"}"), byPanel.get(summary)),
                () -> assertEquals(List.of(0.5, 0.9, 0.99).stream().map(q -> "histogram_quantile(" + q
                        + ", sum by (path, le) (rate(http_request_duration_seconds_bucket{job=~\"$job\", "
                        + "instance=~\"$instance\", path=~\"$path\"}[$__rate_interval])))").toList(),
                        byPanel.get("Latency p50 / p90 / p99 (classic histogram)")),
                () -> assertEquals(List.of(0.5, 0.9, 0.99).stream().map(q -> "histogram_quantile(" + q
                        + ", sum by (path) (rate(http_request_duration_seconds{job=~\"$job\", "
                        + "instance=~\"$instance\", path=~\"$path\"}[$__rate_interval])))").toList(),
                        byPanel.get("Latency p50 / p90 / p99 (native histogram)")));
    }

    @Test
    void queriesOnlyNamesPromletEmits() throws Exception {
        Set<String> emitted = new TreeSet<>(EmittedNames.all());
        emitted.add("up");
        List<String> unknown = new ArrayList<>();
        for (PanelQuery query : MonitoringFiles.panelQueries()) {
            Set<String> names = PromQlNames.of(query.expr());
            assertFalse(names.isEmpty(), query + " selects no name");
            names.stream().filter(n -> !emitted.contains(n)).forEach(n -> unknown.add(query.panel() + ": " + n));
        }
        for (Variable variable : MonitoringFiles.variables()) {
            PromQlNames.of(variable.selector()).stream().filter(n -> !emitted.contains(n))
                    .forEach(n -> unknown.add("variable " + variable.name() + ": " + n));
        }
        assertEquals(List.of(), unknown, "names promlet does not emit (it emits " + emitted + ")");
    }

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        // promtool checks PromQL only inside rules: each query, its variables filled in, becomes a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<PanelQuery> queries = MonitoringFiles.panelQueries();
        for (int i = 0; i < queries.size(); i++) {
            PanelQuery query = queries.get(i);
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
                    .append(Substitution.of("a-job", ".*", ".*", "5m").apply(query.expr()).replace("'", "''"))
                    .append("'\n");
        }
        Files.writeString(dir.resolve("queries.yml"), rules);
        Promtool.Result check = Promtool.run(dir, "check", "rules", "queries.yml");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + queries.size() + " rules found"), check.output());
    }
}
