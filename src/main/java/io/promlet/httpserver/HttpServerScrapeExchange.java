package io.promlet.httpserver;

import com.sun.net.httpserver.HttpExchange;
import io.promlet.scrape.ScrapeExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A scrape over the JDK's HTTP server, for the shared {@link io.promlet.scrape.ScrapeHandler}. */
final class HttpServerScrapeExchange implements ScrapeExchange {
    private final HttpExchange exchange;

    HttpServerScrapeExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String requestHeader(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public List<String> queryParameters(String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    @Override
    public void setResponseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    @Override
    public OutputStream respond(int status, boolean hasBody) throws IOException {
        // Length 0 means chunked, the body's length being unknown until the writer is done; -1 means no body.
        exchange.sendResponseHeaders(status, hasBody ? 0 : -1);
        return exchange.getResponseBody();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // A stray '%' in someone's query: take it literally rather than fail the scrape.
            return s;
        }
    }
}
