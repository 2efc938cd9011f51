package io.promlet.exposition;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Info;
import io.promlet.StateSet;
import io.promlet.Summary;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One instrument of each kind with known values, for the tests that render what instruments collect. */
final class Instruments {
    private Instruments() {
    }

    /**
     * A new registry with: counter {@code jobs} (label queue, 2 with an exemplar), gauge {@code room_temperature_celsius}
     * (21.5), histogram {@code latency_seconds} (buckets 0.1 and 1, observed 0.05 and 0.5 with an exemplar), info
     * {@code build} (version 1.2.3), state set {@code task_state} (starting, running: running) and summary
     * {@code rpc_duration_seconds} (quantiles 0.5 and 0.9, label method, observed 1, 2 and 3 for "get").
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
        Summary rpc = Summary.builder().name("rpc_duration").unit("seconds").help("RPC duration.").labelNames("method")
                .quantile(0.5).quantile(0.9).register(registry);
        rpc.labels("get").observe(1);
        rpc.labels("get").observe(2);
        rpc.labels("get").observe(3);
        return registry;
    }

    /**
     * The exposition with the summary's quantile values replaced by {@code Q}, after checking them: the estimates are
     * within 1% of the true median 2 and 90th percentile 3 (the algorithm promises 0.5%).
     */
    static String withQuantilesChecked(String exposition) {
        Matcher quantiles = Pattern.compile("(rpc_duration_seconds\\{method=\"get\",quantile=\"(0\\.5|0\\.9)\"}) (\\S+)")
                .matcher(exposition);
        StringBuilder pinned = new StringBuilder();
        int found = 0;
        while (quantiles.find()) {
            double expected = quantiles.group(2).equals("0.5") ? 2 : 3;
            assertEquals(expected, Double.parseDouble(quantiles.group(3)), expected / 100, quantiles.group());
            quantiles.appendReplacement(pinned, "$1 Q");
            found++;
        }
        assertEquals(2, found, exposition);
        return quantiles.appendTail(pinned).toString();
    }
}
