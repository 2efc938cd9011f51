package io.promlet.servlet;

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
        String[] values = request.getParameterValues(name);
        return values == null ? List.of() : List.of(values);
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
