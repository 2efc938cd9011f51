package io.promlet.it;

import static io.promlet.it.KnownObservations.assertWithinBucket;
import static io.promlet.it.KnownObservations.quantile;
import static io.promlet.it.KnownObservations.sum;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.CollectorRegistry;
import io.promlet.Histogram;
import io.promlet.servlet.MetricsFilter;
import io.promlet.servlet.MetricsServlet;
import io.promlet.tools.ExpositionLines;
import io.promlet.tools.ProtobufExposition;
import io.promlet.tools.RealTools;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import io.restassured.path.json.JsonPath;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42 with native histograms enabled scrapes two instances of a web application, each an embedded
 * Tomcat 11 with its own registry, {@link MetricsFilter} configured by init-params as {@code web.xml} would (native
 * buckets only on the first, native and classic ones on the second) and {@link MetricsServlet} serving the scrape.
 * <ul>
 *   <li>The filter's latency histogram must reach Prometheus as native histograms: per instance and route, and summed
 *       over both, counts equal to the requests sent, sums equal to the {@code _sum} promlet itself serves, and medians
 *       inside the native bucket that holds the true median in promlet's own protobuf scrape (so no timing is
 *       asserted).
 *   <li>A native Histogram the application observes known values into must give their count, sum and quantiles 0.5 and
 *       0.9 (within a bucket at its schema), per instance and summed over both.
 * </ul>
 */
class FilterNativeHistogramScrapeIT {

    private static final String CONTEXT_PATH = "/shop";
    private static final String LATENCY = "http_request_duration_seconds";
    private static final String PAYMENTS = "payment_duration_seconds";
    private static final int PAYMENT_SCHEMA = 3;
    private static final String ORDERS = "/orders/{id}";
    private static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";
    /** Scrapes happen every second; allow for discovery, a slow machine and a few missed scrapes. */
    private static final Duration SCRAPED_TIMEOUT = Duration.ofSeconds(60);
    /** How far apart two computations of the same bucket bound or sum may be, relative to it. */
    private static final double ROUNDING = 1e-12;

    @Test
    void prometheusReadsTheFiltersAndTheApplicationsNativeHistograms(@TempDir Path dir) throws Exception {
        Path executable = RealTools.require(PrometheusServer.EXECUTABLE);
        // Payment durations from 2 ms to 1.5 s, skewed towards short ones, and a few zeros; the second instance is slower.
        double[] firstPayments = KnownObservations.generate(300, x -> 0.002 + 1.5 * x * x * x);
        double[] secondPayments = KnownObservations.generate(200, x -> 0.04 + 2 * x * x);
        ScriptedRequests toFirst = script(20, 8, 5, firstPayments);
        ScriptedRequests toSecond = script(12, 4, 3, secondPayments);

        try (Shop first = Shop.start(dir.resolve("first"), Map.of("native-histogram", "true"));
             Shop second = Shop.start(dir.resolve("second"),
                     Map.of("native-histogram", "true", "buckets", "0.005, 0.05, 0.5, 5"));
             PrometheusServer prometheus = PrometheusServer.start(executable,
                     Files.createDirectories(dir.resolve("prometheus")), CONTEXT_PATH + "/metrics",
                     List.of(first.address(), second.address()), List.of("--enable-feature=native-histograms"))) {
            toFirst.sendTo(first.toString(), first::uri);
            toSecond.sendTo(second.toString(), second::uri);
            // Nothing is sent after these scrapes (MetricsFilter does not measure scrapes), so they show what
            // Prometheus ends up with.
            Scrape firstScrape = first.awaitScrape(toFirst, prometheus);
            Scrape secondScrape = second.awaitScrape(toSecond, prometheus);

            int requests = toFirst.size() + toSecond.size();
            prometheus.await("histogram_count(sum(" + LATENCY + ")) = " + requests, SCRAPED_TIMEOUT,
                    () -> prometheus.value("histogram_count(sum(" + LATENCY + "))"), count -> count == requests);
            int payments = firstPayments.length + secondPayments.length;
            prometheus.await("histogram_count(sum(" + PAYMENTS + ")) = " + payments, SCRAPED_TIMEOUT,
                    () -> prometheus.value("histogram_count(sum(" + PAYMENTS + "))"), count -> count == payments);

            JsonPath targets = prometheus.targets();
            Map<Map<String, String>, Double> expectedCounts = merge(
                    withInstance(first, toFirst.expectedDurationCounts()),
                    withInstance(second, toSecond.expectedDurationCounts()));
            Map<Map<String, String>, Double> sums = merge(
                    withInstance(first, firstScrape.textSums()), withInstance(second, secondScrape.textSums()));
            Map<Map<String, String>, NativeBucketCounts> buckets = merge(
                    withInstance(first, firstScrape.latencyBuckets()), withInstance(second, secondScrape.latencyBuckets()));
            assertAll(
                    () -> assertEquals(Set.of("up"), Set.copyOf(targets.getList("data.activeTargets.health")), "targets"),
                    () -> assertEquals(List.of("", ""), targets.getList("data.activeTargets.lastError"), "scrape errors"),
                    () -> assertEquals(Set.of("+Inf"), firstScrape.classicBounds(), "native only: no classic buckets"),
                    () -> assertEquals(Set.of("0.005", "0.05", "0.5", "5.0", "+Inf"), secondScrape.classicBounds(),
                            "classic buckets alongside the native ones"),
                    () -> assertEquals(expectedCounts, series(prometheus, "histogram_count(" + LATENCY + ")"),
                            "request counts per instance and route"),
                    () -> assertEquals(overInstances(expectedCounts, Double::sum),
                            series(prometheus, "histogram_count(sum by (method, path) (" + LATENCY + "))"),
                            "request counts per route, both instances"),
                    () -> assertEquals(sums, series(prometheus, "histogram_sum(" + LATENCY + ")"),
                            "latency sums per instance and route: promlet's own _sum"),
                    () -> assertClose(overInstances(sums, Double::sum),
                            series(prometheus, "histogram_sum(sum by (method, path) (" + LATENCY + "))"),
                            "latency sums per route, both instances"),
                    () -> assertInBuckets(buckets, series(prometheus, "histogram_quantile(0.5, " + LATENCY + ")"),
                            "latency medians per instance and route"),
                    () -> assertInBuckets(overInstances(buckets, NativeBucketCounts::plus), series(prometheus,
                            "histogram_quantile(0.5, sum by (method, path) (" + LATENCY + "))"),
                            "latency medians per route, both instances"),
                    () -> assertObservations(prometheus, PAYMENTS + "{instance=\"" + first.address() + "\"}",
                            firstPayments, "payments, first"),
                    () -> assertObservations(prometheus, PAYMENTS + "{instance=\"" + second.address() + "\"}",
                            secondPayments, "payments, second"),
                    () -> assertObservations(prometheus, "sum(" + PAYMENTS + ")",
                            DoubleStream.concat(Arrays.stream(firstPayments), Arrays.stream(secondPayments)).toArray(),
                            "payments, both instances"));
        }
    }

    /**
     * Per instance: orders read ({@code ok} found, {@code missing} not), orders placed, and one payment request per
     * observation.
     */
    private static ScriptedRequests script(int ok, int missing, int placed, double[] payments) {
        List<ScriptedRequests.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < ok; i++) {
            exchanges.add(new ScriptedRequests.Exchange("GET", "/orders/" + i, 200, ORDERS));
        }
        for (int i = 0; i < missing; i++) {
            exchanges.add(new ScriptedRequests.Exchange("GET", "/orders/" + (1000 + i) + "?status=404", 404, ORDERS));
        }
        for (int i = 0; i < placed; i++) {
            exchanges.add(new ScriptedRequests.Exchange("POST", "/orders/" + i, 201, ORDERS));
        }
        for (double seconds : payments) {
            exchanges.add(new ScriptedRequests.Exchange("POST", "/payments?seconds=" + seconds, 204, "/payments"));
        }
        return ScriptedRequests.of(exchanges);
    }

    /** Count, sum and quantiles of a native histogram query that yields one series, against the observations. */
    private static void assertObservations(PrometheusServer prometheus, String histogram, double[] observations,
            String what) {
        assertAll(what,
                () -> assertEquals(observations.length, prometheus.value("histogram_count(" + histogram + ")"), "count"),
                () -> assertEquals(sum(observations), prometheus.value("histogram_sum(" + histogram + ")"),
                        1e-9 * sum(observations), "sum"),
                () -> assertWithinBucket(quantile(observations, 0.5),
                        prometheus.value("histogram_quantile(0.5, " + histogram + ")"), PAYMENT_SCHEMA, "median"),
                () -> assertWithinBucket(quantile(observations, 0.9),
                        prometheus.value("histogram_quantile(0.9, " + histogram + ")"), PAYMENT_SCHEMA, "0.9-quantile"));
    }

    /** Each series' estimate lies in its bucket (bounds included: the rank may fall on a bucket's edge). */
    private static void assertInBuckets(Map<Map<String, String>, NativeBucketCounts> buckets,
            Map<Map<String, String>, Double> medians, String what) {
        assertEquals(buckets.keySet(), medians.keySet(), what + ": series");
        List<Executable> checks = new ArrayList<>();
        buckets.forEach((series, counts) -> checks.add(() -> {
            double[] bucket = counts.bucketOf(0.5);
            double median = medians.get(series);
            assertTrue(median >= bucket[0] * (1 - ROUNDING) && median <= bucket[1] * (1 + ROUNDING),
                    series + ": " + median + " is outside promlet's bucket (" + bucket[0] + ", " + bucket[1] + "]");
        }));
        assertAll(what, checks);
    }

    private static void assertClose(Map<Map<String, String>, Double> expected, Map<Map<String, String>, Double> actual,
            String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": series");
        List<Executable> checks = new ArrayList<>();
        expected.forEach((series, value) -> checks.add(
                () -> assertEquals(value, actual.get(series), ROUNDING * value, series.toString())));
        assertAll(what, checks);
    }

    /** Every series of a query, its labels other than {@code job} mapped to its value. */
    private static Map<Map<String, String>, Double> series(PrometheusServer prometheus, String promql) {
        List<Map<String, Object>> result = prometheus.query(promql).getList("data.result");
        return result.stream().collect(Collectors.toMap(
                s -> {
                    Map<String, String> labels = new HashMap<>();
                    ((Map<?, ?>) s.get("metric")).forEach((name, value) -> labels.put((String) name, (String) value));
                    labels.remove("job");
                    return Map.copyOf(labels);
                },
                s -> Double.parseDouble((String) ((List<?>) s.get("value")).get(1))));
    }

    private static <V> Map<Map<String, String>, V> withInstance(Shop shop, Map<Map<String, String>, V> values) {
        return values.entrySet().stream().collect(Collectors.toMap(e -> {
            Map<String, String> labels = new HashMap<>(e.getKey());
            labels.put("instance", shop.address());
            return Map.copyOf(labels);
        }, Map.Entry::getValue));
    }

    private static <V> Map<Map<String, String>, V> merge(Map<Map<String, String>, V> first,
            Map<Map<String, String>, V> second) {
        Map<Map<String, String>, V> both = new HashMap<>(first);
        both.putAll(second);
        return both;
    }

    /** The series without their {@code instance} label, what {@code sum by (method, path)} gives. */
    private static <V> Map<Map<String, String>, V> overInstances(Map<Map<String, String>, V> values,
            BinaryOperator<V> add) {
        return values.entrySet().stream().collect(Collectors.toMap(e -> {
            Map<String, String> labels = new HashMap<>(e.getKey());
            labels.remove("instance");
            return Map.copyOf(labels);
        }, Map.Entry::getValue, add));
    }

    /** Promlet's own scrape of one instance, in the text format and in protobuf. */
    private record Scrape(String text, List<Metrics.MetricFamily> protobuf) {

        /** The latency {@code _sum} per route. */
        Map<Map<String, String>, Double> textSums() {
            return ScriptedRequests.scraped(text, LATENCY + "_sum");
        }

        /** The {@code le} labels of the latency's classic buckets. */
        Set<String> classicBounds() {
            return ExpositionLines.parse(text).all().stream().filter(line -> line.name().equals(LATENCY + "_bucket"))
                    .map(line -> line.labels().get("le")).collect(Collectors.toSet());
        }

        /** The latency's native buckets per route. */
        Map<Map<String, String>, NativeBucketCounts> latencyBuckets() {
            Metrics.MetricFamily family = protobuf.stream().filter(f -> f.getName().equals(LATENCY)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + LATENCY + " in the protobuf scrape"));
            return family.getMetricList().stream().collect(Collectors.toMap(
                    metric -> metric.getLabelList().stream().collect(
                            Collectors.toMap(Metrics.LabelPair::getName, Metrics.LabelPair::getValue)),
                    metric -> NativeBucketCounts.of(metric.getHistogram())));
        }
    }

    /**
     * One instance of the application: an embedded Tomcat 11 on 127.0.0.1 and a free port, with its own registry. Orders
     * answer the status their {@code status} parameter asks for (201 when placed); {@code POST /payments?seconds=}
     * observes the duration of a payment.
     */
    private static final class Shop implements AutoCloseable {
        private final Tomcat tomcat;
        private final String address;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        private Shop(Tomcat tomcat) {
            this.tomcat = tomcat;
            this.address = "127.0.0.1:" + tomcat.getConnector().getLocalPort();
        }

        /** Starts an instance whose MetricsFilter has these init-params (and the {@code /orders/{id}} template). */
        static Shop start(Path base, Map<String, String> filterParams) throws Exception {
            CollectorRegistry registry = new CollectorRegistry();
            Histogram payments = Histogram.builder().name(PAYMENTS).help("Payment durations.")
                    .nativeOnly().nativeInitialSchema(PAYMENT_SCHEMA).register(registry);
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createDirectories(base).toString());
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext(CONTEXT_PATH, null);
            // What the application's ServletContextListener does: its registry, for the filter and MetricsServlet.
            context.addServletContainerInitializer((classes, servletContext) ->
                    servletContext.setAttribute(MetricsServlet.REGISTRY_ATTRIBUTE, registry), null);
            // The filter and MetricsServlet as web.xml declares them: by class name, with init-params.
            FilterDef filter = new FilterDef();
            filter.setFilterName("metrics");
            filter.setFilterClass(MetricsFilter.class.getName());
            filter.setAsyncSupported("true");
            filter.addInitParameter("path-patterns", ORDERS);
            filterParams.forEach(filter::addInitParameter);
            context.addFilterDef(filter);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName("metrics");
            mapping.addURLPattern("/*");
            context.addFilterMap(mapping);
            Tomcat.addServlet(context, "metrics", MetricsServlet.class.getName());
            context.addServletMappingDecoded("/metrics", "metrics");
            Tomcat.addServlet(context, "orders", new OrdersServlet());
            context.addServletMappingDecoded("/orders/*", "orders");
            Tomcat.addServlet(context, "payments", new PaymentsServlet(payments));
            context.addServletMappingDecoded("/payments", "payments");
            try {
                tomcat.start();
                // A filter or servlet that fails its init leaves the context unavailable rather than failing start().
                assertTrue(context.getState().isAvailable(), "the application did not start: " + context.getState());
            } catch (Exception | Error e) {
                tomcat.stop();
                tomcat.destroy();
                throw e;
            }
            return new Shop(tomcat);
        }

        URI uri(String target) {
            return URI.create("http://" + address + CONTEXT_PATH + target);
        }

        String address() {
            return address;
        }

        /**
         * Waits until the filter has recorded every scripted request (it may do so after the response reached the
         * client), then scrapes the text format and protobuf.
         */
        Scrape awaitScrape(ScriptedRequests script, PrometheusServer prometheus) throws Exception {
            String text = prometheus.await(this + ": the scripted requests recorded", SCRAPED_TIMEOUT,
                    () -> new String(get("text/plain"), StandardCharsets.UTF_8),
                    scrape -> ScriptedRequests.scraped(scrape, LATENCY + "_count").equals(script.expectedDurationCounts()));
            return new Scrape(text, ProtobufExposition.parse(get(PROTOBUF)));
        }

        private byte[] get(String accept) throws IOException, InterruptedException {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/metrics")).header("Accept", accept)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), this + ": scrape");
            return response.body();
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }

        @Override
        public String toString() {
            return "Tomcat on " + address;
        }
    }

    /** {@code GET /orders/{id}} answers the {@code status} parameter's status, 200 if none; {@code POST} 201. */
    private static final class OrdersServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            String status = request.getParameter("status");
            response.setStatus(status == null ? HttpServletResponse.SC_OK : Integer.parseInt(status));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(HttpServletResponse.SC_CREATED);
        }
    }

    /** {@code POST /payments?seconds=} observes a payment's duration, as an application's own code would. */
    private static final class PaymentsServlet extends HttpServlet {
        private final transient Histogram payments;

        PaymentsServlet(Histogram payments) {
            this.payments = payments;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            payments.observe(Double.parseDouble(request.getParameter("seconds")));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }
}
