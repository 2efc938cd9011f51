package io.promlet.exposition;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Info;
import io.promlet.StateSet;

import java.util.Map;

/** One instrument of each kind with known values, for the tests that render what instruments collect. */
final class Instruments {
    private Instruments() {
    }

    /**
     * A new registry with: counter {@code jobs} (label queue, 2 with an exemplar), gauge {@code room_temperature_celsius}
     * (21.5), histogram {@code latency_seconds} (buckets 0.1 and 1, observed 0.05 and 0.5 with an exemplar), info
     * {@code build} (version 1.2.3) and state set {@code task_state} (starting, running: running).
     */
    static CollectorRegistry registry() {
        CollectorRegistry registry = new CollectorRegistry();
        Counter jobs = Counter.builder().name("jobs_total").help("Jobs run.").labelNames("queue").register(registry);
        jobs.labels("mail").inc(2, Map.of("trace_id", "abc"));
        Gauge temperature = Gauge.builder().name("room_temperature").unit("celsius").help("Temperature.").register(registry);
        temperature.set(21.5);
        Histogram latency = Histogram.builder().name("latency_seconds").help("Latency.").buckets(0.1, 1).register(registry);
        latency.observe(0.05);
        latency.observe(0.5, Map.of("trace_id", "def"));
        Info build = Info.builder().name("build").help("Build.").register(registry);
        build.info("version", "1.2.3");
        StateSet state = StateSet.builder().name("task_state").help("Task state.").states("starting", "running").register(registry);
        state.state("running");
        return registry;
    }
}
