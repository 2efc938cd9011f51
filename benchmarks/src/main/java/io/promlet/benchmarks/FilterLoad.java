package io.promlet.benchmarks;

import io.promlet.CollectorRegistry;
import io.promlet.model.Sample;
import io.promlet.servlet.MetricsFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filter end to end: one embedded Jetty 12 serves a trivial servlet twice, at {@code /nofilter/hello} without
 * any filter and at {@code /filtered/hello} behind promlet's {@link MetricsFilter}; the two paths have the same
 * length, so Jetty's own work is the same for both. {@code wrk --latency} drives both over loopback in rounds of
 * two back-to-back legs (the order flips every round, so the legs of neighbouring rounds are back to back too),
 * and each round compares legs that saw the same machine state. The JVM's allocated bytes and CPU time per request
 * are read around every leg: the differences between the two are what the filter allocates and costs per request.
 *
 * <pre>
 * java -cp benchmarks.jar io.promlet.benchmarks.FilterLoad [--rounds 24] [--seconds 5] [--connections 16] [--out filter.json]
 * </pre>
 */
public final class FilterLoad {
    /** The JVM's CPU time (user and system, all threads): Jetty's work per request, wrk's excluded. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    /** The trivial application: a fixed six-byte answer. */
    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(HELLO.length);
            resp.getOutputStream().write(HELLO);
        }
    }

    /** One wrk run against one path. */
    record Round(String path, double requestsPerSecond, double p50Micros, double p99Micros, long requests,
                 double allocatedBytesPerRequest, double stealPercent, double cpuMicrosPerRequest) {
    }

    private FilterLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 24;
        int seconds = 5;
        int warmupSeconds = 10;
        int connections = 16;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }

        CollectorRegistry registry = new CollectorRegistry();
        QueuedThreadPool threads = new QueuedThreadPool(32, 8);
        // Threads must outlive the run: the allocation count of a thread that ends is lost.
        threads.setIdleTimeout(3_600_000);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler plain = new ServletContextHandler("/nofilter");
        plain.addServlet(new ServletHolder(new HelloServlet()), "/hello");
        ServletContextHandler filtered = new ServletContextHandler("/filtered");
        filtered.addServlet(new ServletHolder(new HelloServlet()), "/hello");
        filtered.addFilter(new FilterHolder(MetricsFilter.builder().registry(registry).build()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(new ContextHandlerCollection(plain, filtered));
        server.start();
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            String plainUrl = base + "/nofilter/hello";
            String filteredUrl = base + "/filtered/hello";
            System.out.printf("warm-up: %d s each%n", warmupSeconds);
            wrk(plainUrl, warmupSeconds, connections);
            wrk(filteredUrl, warmupSeconds, connections);

            List<Round> results = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean plainFirst = r % 2 == 0;
                for (String url : plainFirst ? List.of(plainUrl, filteredUrl) : List.of(filteredUrl, plainUrl)) {
                    Round round = wrk(url, seconds, connections);
                    results.add(round);
                    System.out.printf(Locale.ROOT, "round %d %-16s %10.0f req/s  p50 %7.0f us  p99 %7.0f us  %6.0f B/req  %5.1f us CPU/req  steal %4.1f%%%n",
                            r + 1, round.path(), round.requestsPerSecond(), round.p50Micros(), round.p99Micros(),
                            round.allocatedBytesPerRequest(), round.cpuMicrosPerRequest(), round.stealPercent());
                }
            }
            // Proof that the filter was in the path: it counted every request wrk sent to /filtered.
            double counted = registry.collect().stream().flatMap(f -> f.samples().stream())
                    .filter(sample -> sample.name().equals("http_requests_total")).mapToDouble(Sample::value).sum();
            String json = toJson(results, connections, seconds, counted);
            System.out.println(json);
            if (out != null) {
                Files.writeString(out, json);
            }
        } finally {
            server.stop();
        }
    }

    private static Round wrk(String url, int seconds, int connections) throws Exception {
        long allocatedBefore = allocatedBytes();
        long[] cpuBefore = cpuTicks();
        long processCpuBefore = PROCESS.getProcessCpuTime();
        Process process = new ProcessBuilder("/usr/bin/wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--latency", url).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        long allocated = allocatedBytes() - allocatedBefore;
        long[] cpuAfter = cpuTicks();
        long processCpu = PROCESS.getProcessCpuTime() - processCpuBefore;
        if (output.contains("Non-2xx") || output.contains("Socket errors")) {
            throw new IllegalStateException("wrk saw errors:\n" + output);
        }
        long requests = Long.parseLong(find(output, "(\\d+) requests in"));
        return new Round(url.substring(url.indexOf('/', 8)), Double.parseDouble(find(output, "Requests/sec:\\s+([\\d.]+)")),
                micros(find(output, "\\s50%\\s+([\\d.]+\\w+)")), micros(find(output, "\\s99%\\s+([\\d.]+\\w+)")),
                requests, (double) allocated / requests, stealPercent(cpuBefore, cpuAfter), processCpu / 1e3 / requests);
    }

    /**
     * The machine's CPU ticks from the first line of {@code /proc/stat}: user, nice, system, idle, iowait, irq,
     * softirq, steal; empty where there is no such file.
     */
    private static long[] cpuTicks() throws IOException {
        Path stat = Path.of("/proc/stat");
        if (!Files.isReadable(stat)) {
            return new long[0];
        }
        String[] fields = Files.readAllLines(stat).get(0).trim().split("\\s+");
        long[] ticks = new long[8];
        for (int i = 0; i < ticks.length && i + 1 < fields.length; i++) {
            ticks[i] = Long.parseLong(fields[i + 1]);
        }
        return ticks;
    }

    /**
     * The share of CPU time the hypervisor gave to other guests while this virtual machine wanted it: the noise
     * no alternation of legs can remove, so it is reported with every leg. NaN where unknown.
     */
    private static double stealPercent(long[] before, long[] after) {
        if (before.length == 0 || after.length == 0) {
            return Double.NaN;
        }
        long total = 0;
        for (int i = 0; i < before.length; i++) {
            total += after[i] - before[i];
        }
        return total == 0 ? Double.NaN : 100.0 * (after[7] - before[7]) / total;
    }

    /** Bytes allocated so far by all live threads; Jetty's threads live as long as the server. */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in wrk output:\n" + text);
        }
        return m.group(1);
    }

    private static double micros(String value) {
        Matcher m = Pattern.compile("([\\d.]+)(us|ms|s)").matcher(value);
        if (!m.matches()) {
            throw new IllegalStateException("unknown latency " + value);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            default -> v * 1e6;
        };
    }

    private static String toJson(List<Round> rounds, int connections, int seconds, double counted) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"connections\": ").append(connections).append(",\n  \"seconds\": ").append(seconds)
                .append(",\n  \"filterCountedRequests\": ").append(String.format(Locale.ROOT, "%.0f", counted))
                .append(",\n  \"rounds\": [\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            sb.append(String.format(Locale.ROOT,
                    "    {\"path\": \"%s\", \"requestsPerSecond\": %.1f, \"p50Micros\": %.1f, \"p99Micros\": %.1f, "
                            + "\"requests\": %d, \"allocatedBytesPerRequest\": %.1f, \"cpuMicrosPerRequest\": %.2f, \"stealPercent\": %s}%s%n",
                    r.path(), r.requestsPerSecond(), r.p50Micros(), r.p99Micros(), r.requests(),
                    r.allocatedBytesPerRequest(), r.cpuMicrosPerRequest(), Double.isNaN(r.stealPercent()) ? "null"
                            : String.format(Locale.ROOT, "%.1f", r.stealPercent()), i == rounds.size() - 1 ? "" : ","));
        }
        return sb.append("  ]\n}\n").toString();
    }
}
