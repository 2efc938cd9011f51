package io.promlet.exposition;

import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.promlet.exposition.ExpositionFormat.OPENMETRICS;
import static io.promlet.exposition.ExpositionFormat.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpositionFormatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // What Prometheus 2.42 sends by default.
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1 | OPENMETRICS",
            // Prometheus 2.42 with --enable-feature=native-histograms.
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1 | PROTOBUF",
            // Prometheus 3.x by default (scrape/scrape.go acceptHeader: q from 0.6 down, escaping on the 1.0.0 text formats).
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2 | OPENMETRICS",
            // Prometheus 3.x with native histograms: protobuf first.
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1 | PROTOBUF",
            // Prometheus 3.x with scrape_protocols [PrometheusText1.0.0, ...] and the underscores escaping scheme.
            "text/plain;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,*/*;q=0.4 | TEXT",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.05 | PROTOBUF",
            // Protobuf only when asked for by name, as a delimited stream of MetricFamily messages.
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited | PROTOBUF",
            "Application/Vnd.Google.Protobuf; Proto=io.prometheus.client.MetricFamily; Encoding=\"delimited\" | PROTOBUF",
            "application/vnd.google.protobuf | TEXT",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text | TEXT",
            "application/vnd.google.protobuf;proto=other.Message;encoding=delimited | TEXT",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0,*/* | TEXT",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,text/plain | TEXT",
            "text/plain;q=0.5,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5 | TEXT",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,text/*;q=0.5 | PROTOBUF",
            // Prometheus configured for the text format first.
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5 | TEXT",
            "application/openmetrics-text | OPENMETRICS",
            "application/openmetrics-text; version=1.0.0; charset=utf-8 | OPENMETRICS",
            "application/openmetrics-text;version=0.0.1 | OPENMETRICS",
            "Application/OpenMetrics-Text; Version=\"1.0.0\" | OPENMETRICS",
            "application/openmetrics-text;version=2.0.0 | TEXT",
            "application/openmetrics-text;version=2.0.0,*/*;q=0.1 | TEXT",
            "application/* | OPENMETRICS",
            "text/plain | TEXT",
            "text/plain;version=0.0.4 | TEXT",
            "text/* | TEXT",
            "*/* | TEXT",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | TEXT",
            // Equal q: the more specific range wins, then the one listed first.
            "*/*,application/openmetrics-text | OPENMETRICS",
            "text/plain,application/openmetrics-text | TEXT",
            "application/openmetrics-text,text/plain | OPENMETRICS",
            "text/*;q=0.5,application/openmetrics-text;q=0.5 | OPENMETRICS",
            // Higher q wins regardless of order and specificity.
            "text/plain;q=0.2,application/openmetrics-text;q=0.3 | OPENMETRICS",
            "application/openmetrics-text;q=0.3,text/*;q=0.31 | TEXT",
            // q=0 excludes, even when a wildcard would match.
            "application/openmetrics-text;q=0,*/* | TEXT",
            "text/plain;q=0,*/*;q=0.5 | OPENMETRICS",
            "text/plain;q=0,application/openmetrics-text;q=0.001 | OPENMETRICS",
            "application/openmetrics-text;version=1.0.0;q=0 | TEXT",
            "application/openmetrics-text;q=0.0 | TEXT",
            // A bad q-value drops that element only.
            "application/openmetrics-text;q=2,text/plain;q=0.1 | TEXT",
            "application/openmetrics-text;q=abc | TEXT",
            "application/openmetrics-text;q=0.5000 | TEXT",
            "application/openmetrics-text;q=1.000 | OPENMETRICS",
            // Garbage.
            "application/json | TEXT",
            "%%% garbage ;;; ,,, | TEXT",
            "application/openmetrics-text;version=\"1.0.0,text/plain | TEXT",
            ";q=1,application/openmetrics-text | OPENMETRICS",
            "application/openmetrics-text-foo | TEXT",
    })
    void negotiatesTheFormat(String accept, ExpositionFormat expected) {
        assertEquals(expected, ExpositionFormat.negotiate(accept));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", ",", ";", "\t"})
    void missingOrEmptyHeaderGetsTheTextFormat(String accept) {
        assertEquals(TEXT, ExpositionFormat.negotiate(accept));
    }

    @Test
    void contentTypesAndWriters() throws IOException {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", TEXT.contentType());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", OPENMETRICS.contentType());
        assertEquals("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
                ExpositionFormat.PROTOBUF.contentType());
        GaugeMetricFamily g = new GaugeMetricFamily("up", "Up.", List.of());
        g.addMetric(List.of(), 1);
        assertEquals("# HELP up Up.\n# TYPE up gauge\nup 1.0\n", written(TEXT, g));
        assertEquals("# TYPE up gauge\n# HELP up Up.\nup 1.0\n# EOF\n", written(OPENMETRICS, g));
    }

    private static String written(ExpositionFormat format, MetricFamily family) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(out, List.of(family));
        return out.toString(StandardCharsets.UTF_8);
    }
}
