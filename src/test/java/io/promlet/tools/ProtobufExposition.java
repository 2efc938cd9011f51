package io.promlet.tools;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads the protobuf format with an independent parser: client_java's generated {@code MetricFamily} classes. */
public final class ProtobufExposition {
    private ProtobufExposition() {
    }

    /** Parses a delimited stream of MetricFamily messages, checking that nothing is left over. */
    public static List<Metrics.MetricFamily> parse(byte[] bytes) throws IOException {
        List<Metrics.MetricFamily> families = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(bytes);
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            families.add(family);
        }
        assertEquals(0, in.available(), "the stream ends after the last message");
        return families;
    }
}
