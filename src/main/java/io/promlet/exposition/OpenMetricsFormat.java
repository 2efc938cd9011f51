package io.promlet.exposition;

import io.promlet.Collector;
import io.promlet.model.MetricFamily;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The OpenMetrics 1.0.0 text format, which Prometheus asks for first: units, exemplars, info and state set
 * types, and {@code _created} samples.
 *
 * <pre>{@code
 * String text = OpenMetricsFormat.generateLatest(registry);
 * // without _created samples, which double the series of counters, summaries and histograms:
 * OpenMetricsFormat.write(out, registry.collect(), false);
 * }</pre>
 *
 * <p>A {@code _created} sample is shown for each counter, summary and histogram child whose creation time is
 * known, unless turned off. Exemplars are shown on counter totals and histogram buckets.
 */
public final class OpenMetricsFormat {
    /** {@code application/openmetrics-text; version=1.0.0; charset=utf-8}. */
    public static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private OpenMetricsFormat() {
    }

    /** The current families of the collector (such as a {@code CollectorRegistry}) in this format, with {@code _created}. */
    public static String generateLatest(Collector collector) {
        return generateLatest(collector, true);
    }

    /** The current families of the collector in this format, with or without {@code _created} samples. */
    public static String generateLatest(Collector collector, boolean createdTimestamps) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, collector.collect(), createdTimestamps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes the families with {@code _created} samples, ending in {@code # EOF}; flushes the stream, does not close it. */
    public static void write(OutputStream out, Iterable<MetricFamily> families) throws IOException {
        write(out, families, true);
    }

    /**
     * Writes the families, ending in {@code # EOF}; flushes the stream, does not close it.
     *
     * @param createdTimestamps whether to show {@code _created} samples
     */
    public static void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException {
        new OpenMetricsWriter(new ExpositionOutput(out), createdTimestamps).write(families);
    }
}
