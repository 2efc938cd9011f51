package io.promlet.demo;

import jakarta.servlet.http.HttpServletRequest;

/** Reads the demo endpoints' numeric query parameters. */
final class Parameters {
    private Parameters() {
    }

    /** A non-negative number of milliseconds, or the default if absent or malformed. */
    static long millis(HttpServletRequest req, String name, long otherwise) {
        try {
            String value = req.getParameter(name);
            return value == null ? otherwise : Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
