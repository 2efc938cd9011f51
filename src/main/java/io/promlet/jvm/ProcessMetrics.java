package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The standard {@code process_*} metrics, as every Prometheus client library exposes them. */
final class ProcessMetrics implements Collector {
    private static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();

    /**
     * False once the {@code com.sun.management} beans turned out to be hidden from this class loader, as JBoss
     * Modules (WildFly) hides them from deployments: their metrics are then left out, as on a JVM without them.
     */
    private volatile boolean platformBeansVisible = true;

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> families = new ArrayList<>();
        if (platformBeansVisible) {
            try {
                addPlatformMetrics(families);
            } catch (LinkageError e) {
                platformBeansVisible = false;
                System.getLogger(ProcessMetrics.class.getName()).log(System.Logger.Level.DEBUG,
                        "com.sun.management is not visible here; process CPU, file descriptor and virtual memory metrics are left out", e);
            }
        }
        families.add(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                runtime.getStartTime() / 1000.0));
        addIfKnown(families, "process_resident_memory_bytes", "Resident memory size in bytes.", residentBytes());
        return families;
    }

    /** The metrics only the {@code com.sun.management} beans offer. */
    private void addPlatformMetrics(List<MetricFamily> families) {
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            com.sun.management.OperatingSystemMXBean platform = (com.sun.management.OperatingSystemMXBean) os;
            long cpuNanos = platform.getProcessCpuTime();
            if (cpuNanos >= 0) {
                families.add(new CounterMetricFamily("process_cpu_seconds_total",
                        "Total user and system CPU time spent in seconds.", List.of()).addMetric(List.of(), cpuNanos / 1e9));
            }
            addIfKnown(families, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    platform.getCommittedVirtualMemorySize());
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
            addIfKnown(families, "process_open_fds", "Number of open file descriptors.", unix.getOpenFileDescriptorCount());
            addIfKnown(families, "process_max_fds", "Maximum number of open file descriptors.", unix.getMaxFileDescriptorCount());
        }
    }

    /** The resident set size from {@code /proc/self/status} (Linux), or -1 where there is no such file. */
    private static long residentBytes() {
        if (!Files.isReadable(PROC_SELF_STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(PROC_SELF_STATUS, StandardCharsets.US_ASCII)) {
                // "VmRSS:     12345 kB"
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            System.getLogger(ProcessMetrics.class.getName())
                    .log(System.Logger.Level.DEBUG, "cannot read " + PROC_SELF_STATUS, e);
        }
        return -1;
    }

    private static void addIfKnown(List<MetricFamily> families, String name, String help, long value) {
        if (value >= 0) {
            families.add(gauge(name, help, value));
        }
    }

    private static GaugeMetricFamily gauge(String name, String help, double value) {
        return new GaugeMetricFamily(name, help, List.of()).addMetric(List.of(), value);
    }
}
