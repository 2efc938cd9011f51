package io.promlet.monitoring;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.monitoring.MonitoringFiles.Rule;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The rules of monitoring/: valid for promtool, its unit tests passing (each alert firing on some series and silent
 * on others), every alert annotated for the one paged, and only names that promlet emits or the rules record.
 */
class PrometheusRulesTest {

    private static final String OBJECTIVE = "promlet:http_availability_objective:ratio";
    private static final List<String> ALERTS = List.of("PromletErrorBudgetBurn", "PromletErrorBudgetBurnSlow",
            "PromletHttpLatencyP99High", "PromletTargetDown", "PromletHeapNearMax", "PromletGcTimeHigh",
            "PromletRouteCapReached");

    private final List<Rule> rules = MonitoringFiles.rules();

    @Test
    void promtoolChecksEveryRule() throws Exception {
        Promtool.Result check = Promtool.run(MonitoringFiles.DIRECTORY, "check", "rules",
                MonitoringFiles.RULES.getFileName().toString());
        assertEquals(0, check.exitCode(), check.output());
        // The same count as this test's own reader finds, so no rule escapes the other tests.
        assertTrue(check.output().contains("SUCCESS: " + rules.size() + " rules found"),
                rules.size() + " rules read here; promtool: " + check.output());
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        Promtool.Result test = Promtool.run(MonitoringFiles.DIRECTORY, "test", "rules",
                MonitoringFiles.RULES_TEST.getFileName().toString());
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @Test
    void theIssuesAlertsEachTestedFiring() throws Exception {
        String tests = Files.readString(MonitoringFiles.RULES_TEST);
        assertEquals(ALERTS, rules.stream().filter(Rule::alert).map(Rule::name).toList());
        List<String> untested = new ArrayList<>();
        for (String alert : ALERTS) {
            if (!Pattern.compile("alertname: " + alert + "\\s+eval_time: \\S+\\s+exp_alerts:").matcher(tests).find()) {
                untested.add(alert);
            }
        }
        assertEquals(List.of(), untested, "alerts no promtool test expects to fire");
    }

    @Test
    void everyAlertHasASeverityAndRunbookAnnotations() {
        List<String> missing = new ArrayList<>();
        for (Rule rule : rules) {
            if (!rule.alert()) {
                continue;
            }
            for (String field : List.of("severity:", "summary:", "description:", "runbook:")) {
                if (!rule.text().contains(field)) {
                    missing.add(rule.name() + " " + field);
                }
            }
            if (!Pattern.compile("severity: (page|ticket)\\n").matcher(rule.text() + "\n").find()) {
                missing.add(rule.name() + " severity page or ticket");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theObjectiveIsOneParameterThatTheBurnAlertsScale() {
        List<Rule> objective = rules.stream().filter(r -> r.name().equals(OBJECTIVE)).toList();
        assertEquals(1, objective.size(), OBJECTIVE);
        assertEquals("vector(0.999)", objective.get(0).expr());
        for (Rule burn : rules.stream().filter(r -> r.name().startsWith("PromletErrorBudgetBurn")).toList()) {
            assertAll(burn.name(),
                    () -> assertTrue(burn.expr().contains("(1 - scalar(" + OBJECTIVE + "))"), burn.expr()),
                    () -> assertFalse(burn.expr().contains("0.999") || burn.expr().contains("0.001"), burn.expr()));
        }
    }

    @Test
    void expressionsOnlyNameWhatPromletEmitsOrTheRulesRecord() throws Exception {
        Set<String> known = new TreeSet<>(EmittedNames.all());
        known.add("up");
        List<String> recorded = rules.stream().filter(r -> !r.alert()).map(Rule::name).toList();
        known.addAll(recorded);
        List<String> unknown = new ArrayList<>();
        for (Rule rule : rules) {
            Set<String> names = PromQlNames.of(rule.expr());
            names.stream().filter(n -> !known.contains(n)).forEach(n -> unknown.add(rule.name() + ": " + n));
        }
        assertAll(
                () -> assertEquals(List.of(), unknown, "names neither emitted nor recorded (known: " + known + ")"),
                () -> assertEquals(List.of(), recorded.stream()
                        .filter(n -> !n.matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+")).toList(),
                        "recorded names not in the level:metric:operations form"));
    }
}
