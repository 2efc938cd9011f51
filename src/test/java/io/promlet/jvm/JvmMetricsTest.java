package io.promlet.jvm;

import io.promlet.CollectorRegistry;
import io.promlet.Gauge;
import io.promlet.exposition.TextFormat;
import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;
import io.promlet.tools.RealTools;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmMetricsTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void aNewRegistryIsEmptyAndRegisterAddsEveryListedName() {
        assertTrue(registry.collect().isEmpty());
        JvmMetrics.register(registry);
        Set<String> names = sampleNames();
        for (String name : List.of("process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds",
                "process_max_fds", "process_virtual_memory_bytes", "process_resident_memory_bytes",
                "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
                "jvm_memory_pool_used_bytes", "jvm_memory_pool_committed_bytes", "jvm_memory_pool_max_bytes",
                "jvm_buffer_pool_used_bytes", "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak",
                "jvm_threads_state", "jvm_classes_currently_loaded", "jvm_classes_loaded_total",
                "jvm_gc_collection_seconds_count", "jvm_gc_collection_seconds_sum", "jvm_info")) {
            assertTrue(names.contains(name), name + " missing from " + names);
        }
    }

    @Test
    void processValuesArePlausible() {
        JvmMetrics.register(registry);
        double now = System.currentTimeMillis() / 1000.0;
        double start = registry.getSampleValue("process_start_time_seconds");
        assertTrue(start > now - 24 * 3600 && start <= now, "start time " + start);
        assertTrue(registry.getSampleValue("process_cpu_seconds_total") > 0);
        double open = registry.getSampleValue("process_open_fds");
        double max = registry.getSampleValue("process_max_fds");
        assertTrue(open > 0 && open <= max, open + " open of " + max);
        double resident = registry.getSampleValue("process_resident_memory_bytes");
        double virtual = registry.getSampleValue("process_virtual_memory_bytes");
        assertTrue(resident > 10e6 && resident < virtual, "resident " + resident + ", virtual " + virtual);
    }

    @Test
    void memoryThreadAndClassValuesArePlausible() {
        JvmMetrics.register(registry);
        Runtime runtime = Runtime.getRuntime();
        double heapUsed = value("jvm_memory_used_bytes", "area", "heap");
        double heapCommitted = value("jvm_memory_committed_bytes", "area", "heap");
        assertTrue(heapUsed > 0 && heapUsed <= heapCommitted, heapUsed + " used of " + heapCommitted);
        assertEquals(runtime.maxMemory(), value("jvm_memory_max_bytes", "area", "heap"), runtime.maxMemory() * 0.1);
        assertTrue(value("jvm_memory_used_bytes", "area", "nonheap") > 0);
        assertTrue(samples("jvm_memory_pool_used_bytes").size() >= 3, "pools: " + samples("jvm_memory_pool_used_bytes"));
        assertNotNull(registry.getSampleValue("jvm_buffer_pool_used_bytes", new String[] {"pool"}, new String[] {"direct"}));

        double current = registry.getSampleValue("jvm_threads_current");
        double daemon = registry.getSampleValue("jvm_threads_daemon");
        assertTrue(current >= 1 && daemon < current && current <= registry.getSampleValue("jvm_threads_peak"));
        List<Sample> states = samples("jvm_threads_state");
        assertEquals(Thread.State.values().length, states.size());
        assertTrue(value("jvm_threads_state", "state", "RUNNABLE") >= 1, "this thread runs");

        double loaded = registry.getSampleValue("jvm_classes_currently_loaded");
        assertTrue(loaded > 500 && loaded <= registry.getSampleValue("jvm_classes_loaded_total"));
    }

    @Test
    void garbageCollectionIsASummaryPerCollector() {
        JvmMetrics.register(registry);
        System.gc();
        List<Sample> counts = samples("jvm_gc_collection_seconds_count");
        assertFalse(counts.isEmpty());
        assertTrue(counts.stream().mapToDouble(Sample::value).sum() >= 1, "System.gc() ran: " + counts);
        for (Sample count : counts) {
            String gc = count.labels().get("gc");
            assertTrue(value("jvm_gc_collection_seconds_sum", "gc", gc) >= 0);
        }
    }

    @Test
    void infoNamesTheRuntime() {
        JvmMetrics.register(registry);
        Sample info = samples("jvm_info").get(0);
        assertEquals(1, info.value());
        assertEquals(System.getProperty("java.runtime.version"), info.labels().get("version"));
        assertEquals(System.getProperty("java.vm.vendor"), info.labels().get("vendor"));
        assertEquals(System.getProperty("java.runtime.name"), info.labels().get("runtime"));
    }

    @Test
    void valuesAreReadAtScrapeTime() {
        JvmMetrics.register(registry);
        double before = registry.getSampleValue("jvm_threads_started_total");
        Thread thread = new Thread(() -> { });
        thread.start();
        assertTrue(registry.getSampleValue("jvm_threads_started_total") >= before + 1);
    }

    @Test
    void unregisterRemovesThemAllAndRegisterIsAllOrNothing() {
        JvmMetrics.register(registry);
        assertThrows(IllegalArgumentException.class, () -> JvmMetrics.register(registry));
        JvmMetrics.unregisterFrom(registry);
        assertTrue(registry.collect().isEmpty());
        JvmMetrics.unregisterFrom(registry);

        Gauge.builder().name("jvm_threads_peak").help("Clashes.").register(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JvmMetrics.register(registry));
        assertTrue(e.getMessage().contains("jvm_threads_peak"), e.getMessage());
        assertEquals(Set.of("jvm_threads_peak"), sampleNames(), "nothing of JvmMetrics stays registered");
    }

    @Test
    void defaultRegistryCarriesThemAndTheSwitchTurnsThemOff() {
        CollectorRegistry defaults = CollectorRegistry.defaultRegistry();
        assertNotNull(defaults.getSampleValue("jvm_threads_current"));
        JvmMetrics.unregisterFrom(defaults);
        try {
            assertNull(defaults.getSampleValue("jvm_threads_current"));
            assertNull(defaults.getSampleValue("process_start_time_seconds"));
        } finally {
            JvmMetrics.register(defaults);
        }
    }

    @Test
    void nameFilterSkipsTheOtherCollectors() {
        JvmMetrics.register(registry);
        List<MetricFamily> families = registry.filteredBy(List.of("process_open_fds")).collect();
        assertEquals(List.of("process_open_fds"), families.stream()
                .flatMap(f -> f.samples().stream()).map(Sample::name).collect(Collectors.toList()));
    }

    @Test
    void theTextOutputPassesPromtool() throws Exception {
        String promtool = RealTools.require("/usr/bin/promtool").toString();
        JvmMetrics.register(registry);
        String text = TextFormat.generateLatest(registry);
        Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output + "\n" + text);
        assertEquals("", output.strip(), "promtool's lint has nothing to say");
    }

    private double value(String name, String label, String labelValue) {
        Double v = registry.getSampleValue(name, new String[] {label}, new String[] {labelValue});
        assertNotNull(v, name + "{" + label + "=" + labelValue + "}");
        return v;
    }

    private List<Sample> samples(String name) {
        List<Sample> samples = new ArrayList<>();
        for (MetricFamily family : registry.collect()) {
            family.samples().stream().filter(s -> s.name().equals(name)).forEach(samples::add);
        }
        return samples;
    }

    private Set<String> sampleNames() {
        return registry.collect().stream().flatMap(f -> f.samples().stream()).map(Sample::name)
                .collect(Collectors.toSet());
    }
}
