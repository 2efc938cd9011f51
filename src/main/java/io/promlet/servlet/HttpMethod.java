package io.promlet.servlet;

/** The {@code method} label: the standard methods, and {@code OTHER} for anything else, so clients cannot invent series. */
enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    /** The label for a request method; methods are case-sensitive, so {@code get} is {@code OTHER}. */
    static HttpMethod of(String method) {
        return switch (method) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "DELETE" -> DELETE;
            case "CONNECT" -> CONNECT;
            case "OPTIONS" -> OPTIONS;
            case "TRACE" -> TRACE;
            case "PATCH" -> PATCH;
            default -> OTHER;
        };
    }
}
