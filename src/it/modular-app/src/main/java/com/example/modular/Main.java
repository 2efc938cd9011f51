package com.example.modular;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Histogram;
import io.promlet.exposition.TextFormat;
import io.promlet.httpserver.HTTPServer;
import io.promlet.jvm.JvmMetrics;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Records, exposes and serves metrics on the module path; exits with status 1 at the first thing that is wrong. */
public final class Main {
    public static void main(String[] args) throws Exception {
        Module promlet = Counter.class.getModule();
        ModuleDescriptor descriptor = promlet.getDescriptor();
        check(promlet.isNamed() && !descriptor.isAutomatic(), "promlet is an explicit module: " + descriptor);
        check("io.promlet".equals(descriptor.name()), "module name: " + descriptor.name());
        check(promlet.isExported("io.promlet.servlet") && !promlet.isExported("io.promlet.internal"),
                "exports the API, not io.promlet.internal: " + descriptor.exports());

        CollectorRegistry registry = new CollectorRegistry();
        Counter orders = Counter.builder().name("orders_total").help("Orders.").labelNames("kind")
                .register(registry);
        orders.labels("book").inc(3);
        Histogram latency = Histogram.builder().name("latency_seconds").help("Latency.").buckets(0.1, 1)
                .register(registry);
        latency.observe(0.5);
        JvmMetrics.register(registry);

        String text = TextFormat.generateLatest(registry);
        check(text.contains("orders_total{kind=\"book\"} 3.0"), "text format: " + text);
        check(text.contains("latency_seconds_bucket{le=\"1.0\"} 1"), "text format: " + text);
        check(text.contains("jvm_threads_current"), "JVM metrics: " + text);

        try (HTTPServer server = HTTPServer.builder().host("127.0.0.1").port(0).registry(registry).build()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            check(response.statusCode() == 200, "HTTPServer status " + response.statusCode());
            check(response.body().contains("orders_total{kind=\"book\"} 3.0"), "HTTPServer body: " + response.body());
        }
        String jar = ModuleLayer.boot().configuration().findModule("io.promlet")
                .flatMap(module -> module.reference().location()).map(Object::toString).orElse("?");
        System.out.println("modular application: " + descriptor.toNameAndVersion() + " from " + jar + ", ok");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.err.println("modular application: not as expected: " + what);
            System.exit(1);
        }
    }
}
