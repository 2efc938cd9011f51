package io.promlet.push;

import io.promlet.model.MetricNames;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The URL path of a group on the Pushgateway: {@code /metrics/job/<job>/<name>/<value>...}. A job or value
 * that contains {@code /}, or an empty value, goes in base64 ({@code <name>@base64/<urlsafe-base64>},
 * {@code =} for the empty value), as the Pushgateway reads it; anything else is percent-encoded.
 */
final class GroupPath {
    private GroupPath() {
    }

    /**
     * The path of the group, without the gateway's own prefix.
     *
     * @throws IllegalArgumentException if the job is empty, or a grouping label name is invalid or {@code job}
     */
    static String of(String job, Map<String, String> groupingKey) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(groupingKey, "groupingKey");
        if (job.isEmpty()) {
            // The gateway refuses an empty job (400), even in base64: fail before sending.
            throw new IllegalArgumentException("Pushgateway job name is empty");
        }
        StringBuilder path = new StringBuilder("/metrics");
        appendLabel(path, "job", job);
        for (Map.Entry<String, String> e : groupingKey.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "grouping label name");
            String value = Objects.requireNonNull(e.getValue(), () -> "value of grouping label " + name);
            if (!MetricNames.isValidLabelName(name) || name.startsWith("__")) {
                throw new IllegalArgumentException("invalid grouping label name \"" + name + "\" for job " + job);
            }
            if (name.equals("job")) {
                throw new IllegalArgumentException("grouping key of job " + job + " has a label named job; the job is given apart");
            }
            appendLabel(path, name, value);
        }
        return path.toString();
    }

    private static void appendLabel(StringBuilder path, String name, String value) {
        if (value.isEmpty()) {
            path.append('/').append(name).append("@base64/=");
        } else if (value.indexOf('/') >= 0) {
            path.append('/').append(name).append("@base64/")
                    .append(Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            // URLEncoder encodes for forms: a space becomes '+', which in a path is a plus sign.
            path.append('/').append(name).append('/')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }
}
