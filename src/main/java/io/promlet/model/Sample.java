package io.promlet.model;

/**
 * One line of exposition: a sample name, its labels and its value. Families are stored as typed points;
 * {@link MetricFamily#samples()} flattens them into these for lookups and tests.
 *
 * @param name     the sample name, such as {@code requests_total} or {@code latency_seconds_bucket}
 * @param labels   the labels, including {@code le} or {@code quantile} where they apply
 * @param value    the value
 * @param exemplar the exemplar, or null
 */
public record Sample(String name, Labels labels, double value, Exemplar exemplar) {
}
