package io.promlet.it;

import static io.promlet.it.KnownObservations.sum;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import io.promlet.httpserver.HTTPServer;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.tools.RealTools;
import io.restassured.path.json.JsonPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42 with native histograms enabled scrapes two promlet HTTPServers, each serving a native
 * histogram of known observations. Prometheus must negotiate protobuf (the only format that carries native histograms
 * to it), and its count, sum and median, per instance and summed over both, must match the observations: the median
 * within the width of a bucket at schema 3 (a factor 2^(1/8)). A histogram never observed must still arrive as a native one,
 * and fields the 2.42 schema does not know yet (unit, created timestamps, native histogram exemplars) must not hurt.
 */
class NativeHistogramScrapeIT {

    private static final int SCHEMA = 3;
    private static final Duration SCRAPED_TIMEOUT = Duration.ofSeconds(60);
    private static final String NAME = "job_duration_seconds";
    private static final String IDLE = "idle_job_duration_seconds";
    /** The same observations through promlet's own Histogram, native only, at the same schema. */
    private static final String RECORDED = "recorded_job_duration_seconds";

    @Test
    void prometheusReadsCountSumAndQuantilesOfNativeHistograms(@TempDir Path dir) throws Exception {
        Path executable = RealTools.require(PrometheusServer.EXECUTABLE);
        // Durations from 1 ms to 2 s, skewed towards short ones, and a few zeros; the second instance is slower.
        double[] first = KnownObservations.generate(1000, x -> 0.001 + 2 * x * x * x);
        double[] second = KnownObservations.generate(600, x -> 0.05 + 3 * x * x);

        try (HTTPServer firstServer = serve(first); HTTPServer secondServer = serve(second);
             PrometheusServer prometheus = PrometheusServer.start(executable, Files.createDirectories(dir.resolve("prometheus")),
                     "/metrics", List.of(address(firstServer), address(secondServer)),
                     List.of("--enable-feature=native-histograms"))) {
            String total = "histogram_count(sum(" + NAME + "))";
            prometheus.await(total + " = " + (first.length + second.length), SCRAPED_TIMEOUT,
                    () -> prometheus.value(total), count -> count == first.length + second.length);

            JsonPath targets = prometheus.targets();
            double[] both = DoubleStream.concat(Arrays.stream(first), Arrays.stream(second)).toArray();
            String firstSeries = NAME + "{instance=\"" + address(firstServer) + "\"}";
            String secondSeries = NAME + "{instance=\"" + address(secondServer) + "\"}";
            assertAll(
                    () -> assertEquals(Set.of("up"), Set.copyOf(targets.getList("data.activeTargets.health")), "targets"),
                    () -> assertEquals(List.of("", ""), targets.getList("data.activeTargets.lastError"), "scrape errors"),
                    () -> assertEquals(first.length, prometheus.value("histogram_count(" + firstSeries + ")"), "count, first"),
                    () -> assertEquals(first.length + second.length, prometheus.value("sum(jobs_total)"), "counters"),
                    () -> assertEquals(second.length, prometheus.value("histogram_count(" + secondSeries + ")"), "count, second"),
                    () -> assertEquals(sum(first), prometheus.value("histogram_sum(" + firstSeries + ")"), 1e-9 * sum(first),
                            "sum, first"),
                    () -> assertEquals(sum(both), prometheus.value("histogram_sum(sum(" + NAME + "))"), 1e-9 * sum(both),
                            "sum over both instances"),
                    () -> assertWithinBucket(median(first), prometheus.value("histogram_quantile(0.5, " + firstSeries + ")"),
                            "median, first"),
                    () -> assertWithinBucket(median(second), prometheus.value("histogram_quantile(0.5, " + secondSeries + ")"),
                            "median, second"),
                    () -> assertEquals(0, prometheus.value("histogram_count(sum(" + IDLE + "))"),
                            "an empty native histogram is a native histogram"),
                    () -> assertEquals(List.of(), prometheus.query(IDLE + "_count").getList("data.result"),
                            "and no classic one"),
                    () -> assertWithinBucket(median(both), prometheus.value("histogram_quantile(0.5, sum(" + NAME + "))"),
                            "median over both instances"),
                    () -> assertEquals(first.length + second.length, prometheus.value("histogram_count(sum(" + RECORDED + "))"),
                            "Histogram: count over both instances"),
                    () -> assertEquals(sum(both), prometheus.value("histogram_sum(sum(" + RECORDED + "))"), 1e-9 * sum(both),
                            "Histogram: sum over both instances"),
                    () -> assertWithinBucket(median(first), prometheus.value("histogram_quantile(0.5, " + RECORDED
                            + "{instance=\"" + address(firstServer) + "\"})"), "Histogram: median, first"),
                    () -> assertWithinBucket(median(both), prometheus.value("histogram_quantile(0.5, sum(" + RECORDED + "))"),
                            "Histogram: median over both instances"));
        }
    }

    private static double median(double[] values) {
        return KnownObservations.quantile(values, 0.5);
    }

    private static void assertWithinBucket(double truth, double estimate, String what) {
        KnownObservations.assertWithinBucket(truth, estimate, SCHEMA, what);
    }

    private static HTTPServer serve(double[] observations) throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        // With what newer versions of the schema added and 2.42 must skip: a unit, a created timestamp, the exemplars of
        // a native histogram.
        Exemplar exemplar = new Exemplar(Labels.of("trace_id", "abc"), observations[1], System.currentTimeMillis() / 1000.0);
        HistogramMetricFamily family = new HistogramMetricFamily("job_duration", "Job durations.", "seconds", List.of())
                .add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {Double.POSITIVE_INFINITY},
                        new long[] {observations.length}, sum(observations), new Exemplar[] {exemplar},
                        System.currentTimeMillis() / 1000.0, bucketed(observations)));
        CounterMetricFamily jobs = new CounterMetricFamily("jobs", "Jobs done.", List.of())
                .add(new CounterMetricFamily.Point(Labels.EMPTY, observations.length, exemplar, System.currentTimeMillis() / 1000.0));
        // Never observed: Prometheus 2.42 must still take it for a native histogram, not a classic one.
        HistogramMetricFamily idle = new HistogramMetricFamily(IDLE, "Never observed.", List.of())
                .add(new HistogramMetricFamily.Point(Labels.EMPTY, new double[] {Double.POSITIVE_INFINITY}, new long[] {0}, 0,
                        null, Double.NaN, new NativeBuckets(SCHEMA, 0, 0, new int[0], new long[0], new int[0], new long[0])));
        registry.register(() -> List.<MetricFamily>of(family, idle, jobs));
        Histogram recorded = Histogram.builder().name(RECORDED).help("Job durations, observed.")
                .nativeOnly().nativeInitialSchema(SCHEMA).register(registry);
        for (double v : observations) {
            recorded.observe(v);
        }
        return HTTPServer.builder().host("127.0.0.1").port(0).registry(registry).build();
    }

    /**
     * The observations in native buckets at schema 3: bucket i holds the values in (2^((i-1)/8), 2^(i/8)], zeros go to
     * the zero bucket. (Test-side bucketing; the native Histogram instrument is another branch's work.)
     */
    private static NativeBuckets bucketed(double[] observations) {
        TreeMap<Integer, Long> positive = new TreeMap<>();
        long zeros = 0;
        for (double v : observations) {
            if (v == 0) {
                zeros++;
            } else {
                int index = (int) Math.ceil(Math.log(v) / Math.log(2) * (1 << SCHEMA));
                positive.merge(index, 1L, Long::sum);
            }
        }
        return new NativeBuckets(SCHEMA, 0x1p-128, zeros, positive.keySet().stream().mapToInt(Integer::intValue).toArray(),
                positive.values().stream().mapToLong(Long::longValue).toArray(), new int[0], new long[0]);
    }

    private static String address(HTTPServer server) {
        return "127.0.0.1:" + server.getPort();
    }
}
