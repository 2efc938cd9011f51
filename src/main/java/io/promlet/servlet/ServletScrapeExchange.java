package io.promlet.servlet;

import io.promlet.internal.QueryString;
import io.promlet.scrape.ScrapeExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** A servlet request and response as the {@link io.promlet.scrape.ScrapeHandler} sees them. */
final class ServletScrapeExchange implements ScrapeExchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletScrapeExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String requestHeader(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> queryParameters(String name) {
        // Not getParameterValues: containers differ on a malformed query (some answer 500 and log a stack trace per
        // request); decoding it here lets the handler answer 400, the same on every container and transport.
        return QueryString.values(request.getQueryString(), name);
    }

    @Override
    public void setResponseHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public OutputStream respond(int status, boolean hasBody) throws IOException {
        response.setStatus(status);
        return hasBody ? response.getOutputStream() : OutputStream.nullOutputStream();
    }
}
