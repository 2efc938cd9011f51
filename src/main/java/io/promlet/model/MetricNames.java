package io.promlet.model;

/**
 * The Prometheus rules for metric and label names. Checked without a regular expression: every collect checks
 * the names of every family, so this is on the scrape's path.
 */
public final class MetricNames {
    private MetricNames() {
    }

    /** True if the name matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isValidMetricName(String name) {
        return isValid(name, true);
    }

    /** True if the name matches {@code [a-zA-Z_][a-zA-Z0-9_]*}. Names starting with {@code __} are reserved but valid here. */
    public static boolean isValidLabelName(String name) {
        return isValid(name, false);
    }

    private static boolean isValid(String name, boolean colonAllowed) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colonAllowed && c == ':'
                    || i > 0 && c >= '0' && c <= '9';
            if (!valid) {
                return false;
            }
        }
        return true;
    }
}
