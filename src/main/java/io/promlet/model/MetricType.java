package io.promlet.model;

/** The type of a metric family, as the OpenMetrics specification names them. */
public enum MetricType {
    COUNTER, GAUGE, SUMMARY, HISTOGRAM, INFO, STATESET, UNKNOWN
}
