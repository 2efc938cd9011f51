package io.promlet.tools;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Decodes the spans and deltas of a native histogram's positive or negative buckets: bucket index to count. */
    public static Map<Integer, Long> nativeBuckets(List<Metrics.BucketSpan> spans, List<Long> deltas) {
        Map<Integer, Long> buckets = new TreeMap<>();
        int index = 0;
        int delta = 0;
        long count = 0;
        for (int s = 0; s < spans.size(); s++) {
            Metrics.BucketSpan span = spans.get(s);
            assertTrue(span.getLength() > 0, "no empty spans");
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += deltas.get(delta++);
                buckets.put(index++, count);
            }
        }
        assertEquals(deltas.size(), delta, "one delta per bucket");
        return buckets;
    }
}
