package io.promlet.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built model values are refused where they are built when their exposition would be invalid or ambiguous. */
class ModelValidationTest {
    /** What cutting "ab😀" (a surrogate pair) after three chars gives, and another cut emoji. */
    private static final String CUT_EMOJI = "ab\uD83D";
    private static final String OTHER_CUT_EMOJI = "ab\uD83C";

    private static <T extends Throwable> void assertRefused(Class<T> type, Executable build, String... inMessage) {
        T e = assertThrows(type, build);
        for (String part : inMessage) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part), "\"" + part + "\" not in: " + e.getMessage());
        }
    }

    @Test
    void labelsRefuseInvalidReservedAndRepeatedNames() {
        assertRefused(IllegalArgumentException.class, () -> Labels.of("bad-name", "v"), "\"bad-name\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("a b", "v"), "\"a b\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("job:phase", "v"), "\"job:phase\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("__name__", "v"), "\"__name__\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("k", "1", "k", "2"), "label k is given twice");
        assertRefused(IllegalArgumentException.class, () -> Labels.of(List.of("k", "k"), List.of("1", "2")), "k");
        assertRefused(IllegalArgumentException.class, () -> Labels.of(new String[] {"", "v"}, new String[] {"1", "2"}), "\"\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("k", "1").plus("k", "2"), "label k is given twice");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("k", "1").plus("a-b", "2"), "\"a-b\"");
    }

    @Test
    void labelsRefuseNullsNamingTheLabel() {
        assertRefused(NullPointerException.class, () -> Labels.of("path", null), "path");
        assertRefused(NullPointerException.class, () -> Labels.of(new String[] {null}, new String[] {"v"}), "label name");
        assertRefused(NullPointerException.class, () -> Labels.EMPTY.plus("version", null), "version");
    }

    @Test
    void labelValuesWithAnUnpairedSurrogateAreRefusedShowingIt() {
        assertRefused(IllegalArgumentException.class, () -> Labels.of("path", CUT_EMOJI), "\"ab\\uD83D\"", "path", "index 2");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("path", OTHER_CUT_EMOJI), "\"ab\\uD83C\"");
        assertRefused(IllegalArgumentException.class, () -> Labels.of("path", "\uDE00ab"), "\"\\uDE00ab\"", "index 0");
        assertRefused(IllegalArgumentException.class, () -> Labels.EMPTY.plus("path", CUT_EMOJI), "\\uD83D");
        // Whole characters, also outside the BMP, are fine, and so are replacement characters.
        assertEquals("ab\uD83D\uDE00", Labels.of("path", "ab\uD83D\uDE00").get("path"));
        assertEquals("ab\uFFFD", Labels.of("path", "ab\uFFFD").get("path"));
    }

    @Test
    void familiesRefuseUnpairedSurrogatesInValuesAndHelpNamingTheMetric() {
        GaugeMetricFamily g = new GaugeMetricFamily("queue_size", "Jobs.", List.of("path"));
        assertRefused(IllegalArgumentException.class, () -> g.addMetric(List.of(CUT_EMOJI), 1), "metric queue_size", "\\uD83D");
        assertRefused(IllegalArgumentException.class, () -> new GaugeMetricFamily("queue_size", "Jobs " + CUT_EMOJI, List.of()),
                "metric queue_size", "help", "\\uD83D");
        InfoMetricFamily info = new InfoMetricFamily("build", "Build.", List.of());
        assertRefused(IllegalArgumentException.class, () -> info.addMetric(List.of(), Map.of("version", CUT_EMOJI)),
                "metric build", "version", "\\uD83D");
        StateSetMetricFamily s = new StateSetMetricFamily("flag", "Flags.", List.of());
        assertRefused(IllegalArgumentException.class, () -> s.addMetric(List.of(), Map.of(CUT_EMOJI, true)), "metric flag", "\\uD83D");
        assertRefused(IllegalArgumentException.class,
                () -> new StateSetMetricFamily.Point(Labels.EMPTY, new String[] {CUT_EMOJI}, new boolean[1]), "\\uD83D");
        assertEquals(0, g.points().size() + info.points().size() + s.points().size());
    }

    @Test
    void infoRefusesANullValueOrNameNamingTheMetric() {
        InfoMetricFamily info = new InfoMetricFamily("build", "Build.", List.of("component"));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("version", null);
        assertRefused(NullPointerException.class, () -> info.addMetric(List.of("api"), nullValue), "metric build", "version");
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "1.2.3");
        assertRefused(NullPointerException.class, () -> info.addMetric(List.of("api"), nullName), "metric build", "label name");
        assertRefused(NullPointerException.class, () -> info.addMetric(Arrays.asList((String) null), Map.of()),
                "metric build", "component");
        assertRefused(IllegalArgumentException.class, () -> info.addMetric(List.of("api"), Map.of("component", "x")),
                "metric build", "component");
        assertRefused(IllegalArgumentException.class, () -> info.addMetric(List.of("api"), Map.of("bad-name", "x")),
                "metric build", "\"bad-name\"");
        assertEquals(List.of(), info.points());
    }

    @Test
    void familiesRefuseNullRepeatedOrInvalidLabelNamesNamingTheMetric() {
        assertRefused(NullPointerException.class, () -> new CounterMetricFamily("jobs", "Jobs.", Arrays.asList("queue", null)),
                "metric jobs", "label name");
        assertRefused(NullPointerException.class, () -> new CounterMetricFamily("jobs", "Jobs.", null), "jobs");
        assertRefused(IllegalArgumentException.class, () -> new GaugeMetricFamily("g", "G.", List.of("k", "k")),
                "metric g", "label k is given twice");
        assertRefused(IllegalArgumentException.class, () -> new GaugeMetricFamily("g", "G.", List.of("a b")), "metric g", "\"a b\"");
    }

    @Test
    void stateSetNamesMustBeLabelNamesToo() {
        assertRefused(IllegalArgumentException.class, () -> new StateSetMetricFamily("job:phase", "Phase.", List.of()),
                "job:phase", "label name");
        assertRefused(IllegalArgumentException.class, () -> new StateSetMetricFamily("__phase", "Phase.", List.of()), "__phase");
    }

    @Test
    void stateSetPointsRefuseNullOrRepeatedStates() {
        assertRefused(NullPointerException.class,
                () -> new StateSetMetricFamily.Point(Labels.EMPTY, new String[] {"a", null}, new boolean[2]), "state");
        assertRefused(IllegalArgumentException.class,
                () -> new StateSetMetricFamily.Point(Labels.EMPTY, new String[] {"a", "a"}, new boolean[2]), "state a is given twice");
        Map<String, Boolean> unknown = new LinkedHashMap<>();
        unknown.put("on", null);
        assertRefused(NullPointerException.class,
                () -> new StateSetMetricFamily("flag", "Flags.", List.of()).addMetric(List.of(), unknown), "metric flag", "on");
    }

    @Test
    void pointsMustNotCarryTheLabelTheirFamilyAdds() {
        double[] bounds = {1, Double.POSITIVE_INFINITY};
        HistogramMetricFamily h = new HistogramMetricFamily("latency", "Latency.", List.of());
        assertRefused(IllegalArgumentException.class,
                () -> h.add(new HistogramMetricFamily.Point(Labels.of("le", "5"), bounds, new long[] {1, 2}, 3, null, Double.NaN)),
                "metric latency", "le");
        SummaryMetricFamily s = new SummaryMetricFamily("rpc", "RPC.", List.of());
        assertRefused(IllegalArgumentException.class,
                () -> s.add(new SummaryMetricFamily.Point(Labels.of("quantile", "x"), 1, 1, new double[0], new double[0], Double.NaN)),
                "metric rpc", "quantile");
        StateSetMetricFamily flags = new StateSetMetricFamily("flag", "Flags.", List.of());
        assertRefused(IllegalArgumentException.class,
                () -> flags.add(new StateSetMetricFamily.Point(Labels.of("flag", "x"), new String[] {"on"}, new boolean[1])),
                "metric flag", "flag");
        assertEquals(0, h.points().size() + s.points().size() + flags.points().size());
    }

    @Test
    void summaryPointsRefuseANegativeCountAndRanksOutsideZeroToOne() {
        assertRefused(IllegalArgumentException.class,
                () -> new SummaryMetricFamily.Point(Labels.EMPTY, -1, 0, new double[0], new double[0], Double.NaN), "-1");
        assertRefused(IllegalArgumentException.class,
                () -> new SummaryMetricFamily.Point(Labels.EMPTY, 1, 0, new double[] {1.5}, new double[] {2}, Double.NaN), "1.5");
        assertRefused(IllegalArgumentException.class,
                () -> new SummaryMetricFamily.Point(Labels.EMPTY, 1, 0, new double[] {Double.NaN}, new double[] {2}, Double.NaN),
                "NaN");
    }

    @Test
    void countersAndBucketsRefuseValuesNoCounterCanHave() {
        CounterMetricFamily c = new CounterMetricFamily("jobs", "Jobs.", List.of("queue"));
        assertRefused(IllegalArgumentException.class, () -> c.addMetric(List.of("mail"), -1), "metric jobs", "-1.0");
        assertRefused(IllegalArgumentException.class, () -> c.addMetric(List.of("mail"), Double.NaN, 1700000000), "metric jobs", "NaN");
        assertRefused(IllegalArgumentException.class,
                () -> new CounterMetricFamily.Point(Labels.of("queue", "mail"), -0.5, null, Double.NaN), "mail", "-0.5");
        assertRefused(IllegalArgumentException.class,
                () -> new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {1, Double.POSITIVE_INFINITY}, new long[] {-2, 0}, 0,
                        null, Double.NaN), "-2");
        assertEquals(List.of(), c.points());
    }

    @Test
    void exemplarLabelsAreCheckedLikeAnyOthers() {
        assertRefused(IllegalArgumentException.class, () -> Exemplar.of(Map.of("trace_id", CUT_EMOJI), 1), "exemplar", "\\uD83D");
        assertRefused(IllegalArgumentException.class, () -> Exemplar.of(Map.of("__trace", "a"), 1), "exemplar", "__trace");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("trace_id", null);
        assertRefused(NullPointerException.class, () -> Exemplar.of(nullValue, 1), "exemplar", "trace_id");
    }
}
