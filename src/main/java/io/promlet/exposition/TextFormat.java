package io.promlet.exposition;

import io.promlet.Collector;
import io.promlet.model.MetricFamily;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Prometheus text format 0.0.4, which every Prometheus version reads.
 *
 * <pre>{@code
 * String text = TextFormat.generateLatest(registry);
 * // or, streamed:
 * response.setContentType(TextFormat.CONTENT_TYPE);
 * TextFormat.write(response.getOutputStream(), registry.collectLazily());
 * }</pre>
 *
 * <p>Every family gets {@code # HELP} and {@code # TYPE}; the format has no {@code _created} samples, exemplars
 * or units. Info and state set families are shown as gauges, unknown ones as {@code untyped}.
 */
public final class TextFormat {
    /** {@code text/plain; version=0.0.4; charset=utf-8}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {
    }

    /** The current families of the collector (such as a {@code CollectorRegistry}) in this format. */
    public static String generateLatest(Collector collector) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, collector.collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the families in this format as UTF-8 and flushes the stream; it is not closed. The stream need not be
     * buffered: the writer buffers.
     */
    public static void write(OutputStream out, Iterable<MetricFamily> families) throws IOException {
        new TextFormatWriter(new ExpositionOutput(out)).write(families);
    }
}
