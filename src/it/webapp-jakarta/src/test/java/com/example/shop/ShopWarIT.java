package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged WAR on embedded Tomcat, on 127.0.0.1 and a free port: promlet's filter counts the requests, and
 * promlet's servlet serves them together with the application's own counter.
 */
class ShopWarIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Test
    void theWarCarriesPromletInWebInfLib() throws IOException {
        try (JarFile war = new JarFile(war())) {
            List<String> libs = war.stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("WEB-INF/lib/") && !name.endsWith("/")).collect(Collectors.toList());
            assertEquals(List.of("WEB-INF/lib/" + System.getProperty("shop.promlet.jar")), libs);
        }
    }

    @Test
    void servesRequestMetricsAndItsOwnCounter(@TempDir Path base) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.setConnector(connector);
        Files.createDirectories(base.resolve("webapps"));
        tomcat.getHost().setAppBase(base.resolve("webapps").toString());
        tomcat.addWebapp("/shop", war().getAbsolutePath());
        tomcat.start();
        try {
            String root = "http://127.0.0.1:" + connector.getLocalPort() + "/shop";
            assertEquals(201, send("POST", root + "/orders").statusCode());
            assertEquals(201, send("POST", root + "/orders").statusCode());
            assertEquals(200, send("GET", root + "/orders").statusCode());

            List<String> expected = List.of(
                    "http_requests_total{method=\"POST\",path=\"/orders\",status=\"201\"} 2.0",
                    "http_requests_total{method=\"GET\",path=\"/orders\",status=\"200\"} 1.0",
                    "shop_orders_total 2.0");
            // A request is counted when it ends, which can be just after the client has the answer: poll.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<String> missing;
            String scrape;
            do {
                HttpResponse<String> metrics = send("GET", root + "/metrics");
                assertEquals(200, metrics.statusCode());
                scrape = metrics.body();
                missing = missing(scrape, expected);
            } while (!missing.isEmpty() && System.nanoTime() < deadline && pause());
            assertEquals(List.of(), missing, scrape);
            assertTrue(scrape.contains("# TYPE http_request_duration_seconds summary"), scrape);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static File war() {
        return new File(System.getProperty("shop.war"));
    }

    private HttpResponse<String> send(String method, String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> missing(String scrape, List<String> lines) {
        List<String> present = scrape.lines().collect(Collectors.toList());
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            if (!present.contains(line)) {
                missing.add(line);
            }
        }
        return missing;
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
