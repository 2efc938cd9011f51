package io.promlet.monitoring;

import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard and the rules shipped in {@code monitoring/}, read the way the tests need them: every query of the
 * dashboard and every rule with its expression.
 */
public final class MonitoringFiles {

    /** The folder, relative to the project directory (the tests' working directory). */
    public static final Path DIRECTORY = Path.of("monitoring");
    /** The Grafana dashboard. */
    public static final Path DASHBOARD = DIRECTORY.resolve("promlet-dashboard.json");
    /** The Prometheus rules. */
    public static final Path RULES = DIRECTORY.resolve("promlet-rules.yml");
    /** The promtool unit tests of the rules. */
    public static final Path RULES_TEST = DIRECTORY.resolve("promlet-rules.test.yml");

    /** One query of a panel. */
    public record PanelQuery(String panel, String refId, String expr) {
    }

    /** A template variable and its {@code label_values(selector, label)} query. */
    public record Variable(String name, String query) {
        private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+), (\\w+)\\)");

        /** The series whose label values the variable offers. */
        public String selector() {
            return labelValues().group(1);
        }

        /** The label whose values the variable offers. */
        public String label() {
            return labelValues().group(2);
        }

        private Matcher labelValues() {
            Matcher m = LABEL_VALUES.matcher(query);
            if (!m.matches()) {
                throw new AssertionError("variable " + name + " is not label_values(selector, label): " + query);
            }
            return m;
        }
    }

    /** A recording rule ({@code record}) or an alert ({@code alert}), with its YAML text. */
    public record Rule(String kind, String name, String expr, String text) {
        /** Whether this is an alerting rule. */
        public boolean alert() {
            return kind.equals("alert");
        }
    }

    private static final Pattern RULE_START = Pattern.compile("^(\\s*)- (record|alert): (\\S+)\\s*$");
    private static final Pattern EXPR = Pattern.compile("^(\\s*)expr: (.*)$");

    private MonitoringFiles() {
    }

    /** The dashboard as JSON. */
    public static JsonPath dashboard() {
        return JsonPath.from(DASHBOARD.toFile());
    }

    /** The panels that are not rows. */
    public static List<Map<String, Object>> panels() {
        return dashboard().getList("panels.findAll { it.type != 'row' }");
    }

    /** Every query of every panel, in the dashboard's order. */
    public static List<PanelQuery> panelQueries() {
        List<PanelQuery> queries = new ArrayList<>();
        for (Map<String, Object> panel : panels()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> targets = (List<Map<String, Object>>) panel.get("targets");
            for (Map<String, Object> target : targets) {
                queries.add(new PanelQuery((String) panel.get("title"), (String) target.get("refId"),
                        (String) target.get("expr")));
            }
        }
        return queries;
    }

    /** The template variables. */
    public static List<Variable> variables() {
        List<Map<String, Object>> list = dashboard().getList("templating.list");
        return list.stream().map(v -> new Variable((String) v.get("name"),
                (String) ((Map<?, ?>) v.get("query")).get("query"))).toList();
    }

    /**
     * Every rule of the rules file, read line by line: the file keeps each rule's {@code expr} either on its line or
     * as a folded block ({@code >-}) below it, which is all this reader understands; the tests compare its count with
     * promtool's.
     */
    public static List<Rule> rules() {
        List<String> lines;
        try {
            lines = Files.readAllLines(RULES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = RULE_START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            int indent = start.group(1).length();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).isBlank() && indentOf(lines.get(end)) > indent) {
                end++;
            }
            List<String> block = lines.subList(i, end);
            rules.add(new Rule(start.group(2), start.group(3), expression(block, start.group(3)),
                    String.join("\n", block)));
        }
        return rules;
    }

    private static String expression(List<String> block, String rule) {
        for (int i = 0; i < block.size(); i++) {
            Matcher expr = EXPR.matcher(block.get(i));
            if (!expr.matches()) {
                continue;
            }
            if (!expr.group(2).equals(">-")) {
                return expr.group(2);
            }
            int indent = expr.group(1).length();
            List<String> folded = new ArrayList<>();
            for (int j = i + 1; j < block.size() && indentOf(block.get(j)) > indent; j++) {
                folded.add(block.get(j).strip());
            }
            return String.join(" ", folded);
        }
        throw new AssertionError("rule " + rule + " has no expr");
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
