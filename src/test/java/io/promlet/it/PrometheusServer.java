package io.promlet.it;

import static io.restassured.RestAssured.given;

import io.promlet.tools.RealTools;
import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus server, run as its own process on 127.0.0.1 with a fresh data directory, scraping every second:
 * one job from targets given through file-based service discovery ({@link #start}), or several jobs with rules
 * evaluated every second as well ({@link #startWithRules}). Queries go through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    /** Where the Debian package installs the server. */
    static final String EXECUTABLE = "/usr/bin/prometheus";
    /** The job name, and the {@code job} label of every scraped series. */
    static final String JOB = "promlet-demo";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ServerProcess process;
    private final String baseUri;

    private PrometheusServer(ServerProcess process, int port) {
        this.process = process;
        this.baseUri = "http://127.0.0.1:" + port;
    }

    /**
     * Starts Prometheus in {@code dir}, scraping {@code metricsPath} on each of {@code targets} ({@code host:port}),
     * and waits until it is ready to serve queries.
     */
    static PrometheusServer start(Path executable, Path dir, String metricsPath, List<String> targets)
            throws IOException, InterruptedException {
        return start(executable, dir, metricsPath, targets, List.of());
    }

    /** Same, with these command-line flags as well, such as {@code --enable-feature=native-histograms}. */
    static PrometheusServer start(Path executable, Path dir, String metricsPath, List<String> targets, List<String> flags)
            throws IOException, InterruptedException {
        Path targetsFile = dir.resolve("targets.json");
        Files.writeString(targetsFile, "[{\"targets\": " + targets.stream().map(target -> '"' + target + '"')
                .collect(Collectors.joining(", ", "[", "]")) + "}]\n");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: " + JOB,
                "    metrics_path: " + metricsPath,
                "    file_sd_configs:",
                "      - files: ['" + targetsFile + "']",
                "        refresh_interval: 1s",
                ""));
        return launch(executable, dir, config, flags);
    }

    /** One scrape job of {@link #startWithRules}: its name (the {@code job} label), metrics path and targets. */
    record ScrapeJob(String name, String metricsPath, List<String> targets) {
    }

    /**
     * Starts Prometheus in {@code dir} scraping each of {@code jobs} every second and evaluating {@code ruleFiles}
     * every second, with these command-line flags, and waits until it is ready to serve queries.
     */
    static PrometheusServer startWithRules(Path executable, Path dir, List<ScrapeJob> jobs, List<Path> ruleFiles,
            List<String> flags) throws IOException, InterruptedException {
        List<String> config = new ArrayList<>(List.of(
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:"));
        ruleFiles.forEach(file -> config.add("  - '" + file.toAbsolutePath() + "'"));
        config.add("scrape_configs:");
        for (ScrapeJob job : jobs) {
            config.addAll(List.of(
                    "  - job_name: " + job.name(),
                    "    metrics_path: " + job.metricsPath(),
                    "    static_configs:",
                    "      - targets: " + job.targets().stream().map(target -> '"' + target + '"')
                            .collect(Collectors.joining(", ", "[", "]"))));
        }
        config.add("");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, String.join("\n", config));
        return launch(executable, dir, file, flags);
    }

    private static PrometheusServer launch(Path executable, Path dir, Path config, List<String> flags)
            throws IOException, InterruptedException {
        int port = RealTools.freePort();
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        ServerProcess process = ServerProcess.start("prometheus", new ProcessBuilder(command)
                .directory(dir.toFile()), dir.resolve("prometheus.log"));
        PrometheusServer prometheus = new PrometheusServer(process, port);
        try {
            process.await("readiness", START_TIMEOUT,
                    () -> given().baseUri(prometheus.baseUri).get("/-/ready").statusCode(), status -> status == 200);
            return prometheus;
        } catch (InterruptedException | RuntimeException | Error e) {
            prometheus.close();
            throw e;
        }
    }

    /** Runs an instant query; the answer's {@code data.result} holds the series. */
    JsonPath query(String promql) {
        return api("/api/v1/query", "query", promql);
    }

    /**
     * The value of a query that yields one series, such as {@code sum(...)}; {@code NaN} while it yields none (nothing
     * scraped yet).
     */
    double value(String promql) {
        List<List<Object>> values = query(promql).getList("data.result.value");
        if (values.isEmpty()) {
            return Double.NaN;
        }
        if (values.size() > 1) {
            throw new AssertionError(promql + " yields " + values.size() + " series, expected one");
        }
        return Double.parseDouble((String) values.get(0).get(1));
    }

    /**
     * The stored exemplars of the series a query selects ({@code --enable-feature=exemplar-storage}), over all time:
     * {@code data}, one entry per series with its {@code seriesLabels} and {@code exemplars}.
     */
    JsonPath exemplars(String promql) {
        return api("/api/v1/query_exemplars", "query", promql);
    }

    /** The loaded rule groups with each rule's query, health and state: {@code data.groups}. */
    JsonPath rules() {
        return api("/api/v1/rules", "type", "");
    }

    /** The scrape targets and their state: {@code data.activeTargets}. */
    JsonPath targets() {
        return api("/api/v1/targets", "state", "active");
    }

    /** The metric metadata (type, help, unit) that the scrapes of the job delivered: {@code data}. */
    JsonPath targetMetadata() {
        return api("/api/v1/targets/metadata", "match_target", "{job=\"" + JOB + "\"}");
    }

    /** Polls {@code probe} until {@code done}, failing if Prometheus dies or {@code timeout} passes. */
    <T> T await(String what, Duration timeout, Callable<T> probe,
            Predicate<? super T> done) throws InterruptedException {
        return process.await(what, timeout, probe, done);
    }

    @Override
    public void close() {
        process.close();
    }

    private JsonPath api(String path, String parameter, String value) {
        JsonPath answer = given().baseUri(baseUri).queryParam(parameter, value).get(path)
                .then().statusCode(200).extract().jsonPath();
        if (!"success".equals(answer.getString("status"))) {
            throw new AssertionError(path + "?" + parameter + "=" + value + " failed: " + answer.prettify());
        }
        return answer;
    }
}
