package io.promlet.exposition;

import io.promlet.model.MetricFamily;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The Prometheus protobuf format: delimited {@code io.prometheus.client.MetricFamily} messages, the only format that
 * carries native histograms to Prometheus 2.x. Prometheus asks for it first when native histograms are enabled.
 * Encoded by promlet itself; no protobuf library is needed.
 *
 * <pre>{@code
 * ProtobufFormat.write(out, registry.collect());
 * }</pre>
 *
 * <p>Families appear as the text format shows them: counters named with {@code _total}, info and state set families
 * as gauges, unknown as untyped. Exemplars ride on counters and classic buckets, or, for a histogram with native
 * buckets only, on the histogram; created timestamps are sent unless turned off.
 */
public final class ProtobufFormat {
    /** {@code application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited}. */
    public static final String CONTENT_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private ProtobufFormat() {
    }

    /** Writes the families with created timestamps; flushes the stream, does not close it. */
    public static void write(OutputStream out, Iterable<MetricFamily> families) throws IOException {
        write(out, families, true);
    }

    /**
     * Writes the families; flushes the stream, does not close it.
     *
     * @param createdTimestamps whether to send the created timestamps of counters, summaries and histograms
     */
    public static void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException {
        new ProtobufWriter(new ProtobufOutput(out), createdTimestamps).write(families);
    }
}
