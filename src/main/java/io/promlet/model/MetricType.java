package io.promlet.model;

/** The type of a metric family, as the OpenMetrics specification names them. */
public enum MetricType {
    /** A total that only goes up, reset to zero when the process restarts. */
    COUNTER,
    /** A value that goes up and down. */
    GAUGE,
    /** Quantiles, a count and a sum of observations. */
    SUMMARY,
    /** Observations counted into buckets, with a count and a sum. */
    HISTOGRAM,
    /** Labels describing the target, with the constant value 1. */
    INFO,
    /** A set of named states, each either on or off. */
    STATESET,
    /** A metric of no known type, exposed as untyped. */
    UNKNOWN
}
