package io.promlet.jvm;

import io.promlet.Collector;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Thread counts, and the number of threads in each {@link Thread.State}. The states need a
 * {@code getThreadInfo} call over every thread, which is why they are counted at scrape time only.
 */
final class ThreadMetrics implements Collector {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public List<MetricFamily> collect() {
        GaugeMetricFamily states = new GaugeMetricFamily("jvm_threads_state",
                "Current count of threads by state.", List.of("state"));
        long[] byState = new long[Thread.State.values().length];
        // Without stack frames (depth 0) the call is cheap enough; a thread that ended meanwhile comes back null.
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null) {
                byState[info.getThreadState().ordinal()]++;
            }
        }
        for (Thread.State state : Thread.State.values()) {
            states.addMetric(List.of(state.name()), byState[state.ordinal()]);
        }
        return List.of(
                gauge("jvm_threads_current", "Current thread count of a JVM.", threads.getThreadCount()),
                gauge("jvm_threads_daemon", "Daemon thread count of a JVM.", threads.getDaemonThreadCount()),
                gauge("jvm_threads_peak", "Peak thread count of a JVM.", threads.getPeakThreadCount()),
                new CounterMetricFamily("jvm_threads_started_total", "Started thread count of a JVM.", List.of())
                        .addMetric(List.of(), threads.getTotalStartedThreadCount()),
                states);
    }

    private static GaugeMetricFamily gauge(String name, String help, double value) {
        return new GaugeMetricFamily(name, help, List.of()).addMetric(List.of(), value);
    }
}
