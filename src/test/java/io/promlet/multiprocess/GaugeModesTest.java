package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Gauge;

import io.promlet.TestStores;

import io.promlet.model.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.util.Locale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every gauge mode, while all processes live, after some die, and after {@code markProcessDead}. Four
 * stores stand in for processes A..D and set every mode's gauge to A=5, B=2, C=9, D=4, in that order.
 */
class GaugeModesTest {
    private static final long A = 9_100_001;
    private static final long B = 9_100_002;
    private static final long C = 9_100_003;
    private static final long D = 9_100_004;

    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    @Test
    void eachModeCombinesTheProcessesAsDocumented() throws IOException {
        long[] pids = {A, B, C, D};
        double[] values = {5, 2, 9, 4};
        List<MappedValueStore> stores = new ArrayList<>();
        for (int p = 0; p < pids.length; p++) {
            MappedValueStore store = processes.start(dir, pids[p]);
            stores.add(store);
            waitForNextMillisecond(); // mostrecent compares millisecond timestamps
            for (Gauge.MultiProcessMode mode : Gauge.MultiProcessMode.values()) {
                Gauge.Builder builder = Gauge.builder().name("g_" + mode.name().toLowerCase(Locale.ROOT)).help("Mode " + mode.name().toLowerCase(Locale.ROOT) + ".");
                // Half by enum, half by the Python client's string.
                builder = mode.ordinal() % 2 == 0 ? builder.multiProcessMode(mode) : builder.multiProcessMode(mode.name().toLowerCase(Locale.ROOT));
                TestStores.valueStore(builder, store).register(new CollectorRegistry()).set(values[p]);
            }
        }
        Map<String, Object> allAlive = Map.of(
                "all", perPid(A, 5, B, 2, C, 9, D, 4), "liveall", perPid(A, 5, B, 2, C, 9, D, 4),
                "min", 2.0, "livemin", 2.0, "max", 9.0, "livemax", 9.0,
                "sum", 20.0, "livesum", 20.0, "mostrecent", 4.0, "livemostrecent", 4.0);
        assertEquals(allAlive, table());

        stores.get(1).close(); // B and C die: the least and the largest value
        stores.get(2).close();
        Map<String, Object> bAndCDead = Map.of(
                "all", perPid(A, 5, B, 2, C, 9, D, 4), "liveall", perPid(A, 5, D, 4),
                "min", 2.0, "livemin", 4.0, "max", 9.0, "livemax", 5.0,
                "sum", 20.0, "livesum", 9.0, "mostrecent", 4.0, "livemostrecent", 4.0);
        assertEquals(bAndCDead, table());

        stores.get(3).close(); // D dies: the most recent value
        Map<String, Object> onlyALives = Map.of(
                "all", perPid(A, 5, B, 2, C, 9, D, 4), "liveall", perPid(A, 5),
                "min", 2.0, "livemin", 5.0, "max", 9.0, "livemax", 5.0,
                "sum", 20.0, "livesum", 5.0, "mostrecent", 4.0, "livemostrecent", 5.0);
        assertEquals(onlyALives, table());

        assertTrue(MultiProcess.markProcessDead(dir, B));
        assertTrue(MultiProcess.markProcessDead(dir, C));
        assertTrue(MultiProcess.markProcessDead(dir, D));
        assertEquals(onlyALives, table(), "the dead processes' values of modes without live are kept in the archive");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.stream().noneMatch(n -> n.contains("9100002") || n.contains("9100003") || n.contains("9100004")),
                    names.toString());
            assertTrue(names.contains("archive.db"), names.toString());
        }

        assertFalse(MultiProcess.markProcessDead(dir, A), "A is alive: it holds its lock");
        assertEquals(onlyALives, table());
    }

    @Test
    void livemostrecentFollowsTheLatestWriteOfAnyProcess() throws IOException {
        List<Gauge> gauges = new ArrayList<>();
        for (long pid : new long[] {A, B}) {
            MappedValueStore store = processes.start(dir, pid);
            gauges.add(TestStores.valueStore(Gauge.builder().name("temperature").help("T.").multiProcessMode("LiveMostRecent"), store).register(new CollectorRegistry()));
        }
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        for (int round = 0; round < 5; round++) {
            Gauge writer = gauges.get(round % 2);
            waitForNextMillisecond();
            writer.set(round * 10);
            writer.inc();
            assertEquals(round * 10 + 1.0, registry.getSampleValue("temperature"));
        }
    }

    private Map<String, Object> table() {
        Map<String, Object> table = new TreeMap<>();
        for (var family : new MultiProcessCollector(dir).collect()) {
            String mode = family.name().substring(2);
            if (mode.endsWith("all")) {
                Map<String, Double> series = new TreeMap<>();
                for (Sample s : family.samples()) {
                    series.put(s.labels().get("pid"), s.value());
                }
                table.put(mode, series);
            } else {
                assertEquals(1, family.samples().size(), family.toString());
                table.put(mode, family.samples().get(0).value());
            }
        }
        return table;
    }

    private static Map<String, Double> perPid(Object... pidsAndValues) {
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < pidsAndValues.length; i += 2) {
            m.put(pidsAndValues[i].toString(), ((Number) pidsAndValues[i + 1]).doubleValue());
        }
        return m;
    }

    private static void waitForNextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.onSpinWait();
        }
    }
}
