package io.promlet.model;

import java.util.regex.Pattern;

/** The Prometheus rules for metric and label names. */
public final class MetricNames {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {
    }

    /** True if the name matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isValidMetricName(String name) {
        return name != null && METRIC_NAME.matcher(name).matches();
    }

    /** True if the name matches {@code [a-zA-Z_][a-zA-Z0-9_]*}. Names starting with {@code __} are reserved but valid here. */
    public static boolean isValidLabelName(String name) {
        return name != null && LABEL_NAME.matcher(name).matches();
    }
}
