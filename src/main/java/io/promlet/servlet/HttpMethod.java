package io.promlet.servlet;

/** The {@code method} label: the standard methods, and {@code OTHER} for anything else, so clients cannot invent series. */
enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    /** The label for a request method; methods are case-sensitive, so {@code get} is {@code OTHER}. */
    static HttpMethod of(String method) {
        switch (method) {
            case "GET":
                return GET;
            case "HEAD":
                return HEAD;
            case "POST":
                return POST;
            case "PUT":
                return PUT;
            case "DELETE":
                return DELETE;
            case "CONNECT":
                return CONNECT;
            case "OPTIONS":
                return OPTIONS;
            case "TRACE":
                return TRACE;
            case "PATCH":
                return PATCH;
            default:
                return OTHER;
        }
    }
}
