package io.promlet.push;

import java.io.IOException;

/** The Pushgateway answered with a status other than 2xx; carries the status and what the gateway said. */
public final class PushGatewayException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status the gateway answered. */
    private final int statusCode;
    /** The body of the gateway's answer; may be empty. */
    private final String responseBody;

    PushGatewayException(String method, String url, int statusCode, String responseBody) {
        super(method + " " + url + " answered " + statusCode + (responseBody.isBlank() ? "" : ": " + responseBody.strip()));
        this.statusCode = statusCode;
        this.responseBody = responseBody;
    }

    /** The HTTP status the gateway answered, such as 400 for metrics inconsistent with those already pushed. */
    public int statusCode() {
        return statusCode;
    }

    /** The gateway's message, the body of its answer; may be empty. */
    public String responseBody() {
        return responseBody;
    }
}
