package io.promlet.httpserver;

import com.sun.net.httpserver.HttpExchange;
import io.promlet.internal.QueryString;
import io.promlet.scrape.ScrapeExchange;

import java.io.IOException;
import java.io.OutputStream;
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
        return QueryString.values(exchange.getRequestURI().getRawQuery(), name);
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
}
