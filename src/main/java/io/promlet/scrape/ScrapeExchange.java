package io.promlet.scrape;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One scrape request and its response, as {@link ScrapeHandler} sees them. Each transport (the servlet, the
 * standalone HTTP server) implements this over its own HTTP API, so that every transport answers a scrape the
 * same way.
 *
 * <p>When {@link ScrapeHandler#handle} throws, the response may have started and be incomplete: the transport must
 * then break the connection (for a servlet, let the exception reach the container) and never end the response
 * normally, or the client would take a partial body for the whole.
 *
 * <pre>{@code
 * new ScrapeHandler(registry).handle(new ScrapeExchange() {
 *     public String method() { return request.getMethod(); }
 *     public String requestHeader(String name) { return request.getHeader(name); }
 *     public List<String> queryParameters(String name) { ... }
 *     public void setResponseHeader(String name, String value) { response.setHeader(name, value); }
 *     public OutputStream respond(int status, boolean hasBody) throws IOException { ... }
 * });
 * }</pre>
 */
public interface ScrapeExchange {
    /** The request method: {@code "GET"}, {@code "HEAD"}, {@code "POST"}, ... */
    String method();

    /** The first value of the request header with this name, matched case-insensitively, or null. */
    String requestHeader(String name);

    /**
     * All values of the query parameter with this name, such as {@code name[]}, in order; empty if none.
     *
     * @throws IllegalArgumentException if the query string cannot be decoded (the handler answers 400)
     */
    List<String> queryParameters(String name);

    /** Sets a response header; called only before {@link #respond(int, boolean)}. */
    void setResponseHeader(String name, String value);

    /**
     * Sends the status and the headers set so far and returns the stream for the body. Called exactly once. The
     * handler writes the body (nothing when {@code hasBody} is false) and then closes the stream, which ends the
     * response; if it fails part-way it leaves the stream open and throws from {@link ScrapeHandler#handle}.
     *
     * @param status  the HTTP status code
     * @param hasBody false for a response without a body, such as the answer to HEAD: send the headers only
     */
    OutputStream respond(int status, boolean hasBody) throws IOException;
}
