package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the filter's samples from a registry, for exact assertions. */
final class Samples {
    private Samples() {
    }

    /** Every sample of this name, as {@code {labels} -> value}, sorted for readable failure messages. */
    static Map<String, Double> all(CollectorRegistry registry, String sampleName) {
        Map<String, Double> values = new TreeMap<>();
        for (MetricFamily family : registry.filteredBy(List.of(sampleName)).collect()) {
            for (Sample s : family.samples()) {
                if (s.name().equals(sampleName)) {
                    values.put(s.labels().toString(), s.value());
                }
            }
        }
        return values;
    }

    /** The request count for one method, path and status; 0 if there is no such series. */
    static double requests(CollectorRegistry registry, String method, String path, String status) {
        Double v = registry.getSampleValue("http_requests_total", new String[] {"method", "path", "status"},
                new String[] {method, path, status});
        return v == null ? 0 : v;
    }

    /** The sum of every {@code http_requests_total} series. */
    static double totalRequests(CollectorRegistry registry) {
        return all(registry, "http_requests_total").values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** A {@code {method, path}} sample of a duration or size metric, such as {@code http_request_duration_seconds_count}; 0 if absent. */
    static double byRoute(CollectorRegistry registry, String sampleName, String method, String path) {
        Double v = registry.getSampleValue(sampleName, new String[] {"method", "path"}, new String[] {method, path});
        return v == null ? 0 : v;
    }

    /** The label set of a requests series, as {@link #all} shows it. */
    static String key(String method, String path, String status) {
        return "{method=\"" + method + "\",path=\"" + path + "\",status=\"" + status + "\"}";
    }
}
