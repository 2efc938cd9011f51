package io.promlet.exposition;

import io.promlet.internal.AcceptHeader;
import io.promlet.model.MetricFamily;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The exposition formats, and the choice between them from a scraper's {@code Accept} header.
 *
 * <pre>{@code
 * ExpositionFormat format = ExpositionFormat.negotiate(request.getHeader("Accept"));
 * response.setContentType(format.contentType());
 * format.write(response.getOutputStream(), registry.collectLazily());
 * }</pre>
 */
public enum ExpositionFormat {
    /** The Prometheus text format 0.0.4: {@link TextFormat}. */
    TEXT(TextFormat.CONTENT_TYPE) {
        @Override
        public void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException {
            TextFormat.write(out, families);
        }

        @Override
        int specificity(AcceptHeader.Element range) {
            return mediaRangeSpecificity(range, "text/plain", "text/*", true);
        }
    },

    /** OpenMetrics 1.0.0: {@link OpenMetricsFormat}. */
    OPENMETRICS(OpenMetricsFormat.CONTENT_TYPE) {
        @Override
        public void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException {
            OpenMetricsFormat.write(out, families, createdTimestamps);
        }

        @Override
        int specificity(AcceptHeader.Element range) {
            // 0.0.1 is what OpenMetrics was called before 1.0.0; the Python client serves both with this format.
            return mediaRangeSpecificity(range, "application/openmetrics-text", "application/*",
                    range.version == null || range.version.equals("1.0.0") || range.version.equals("0.0.1"));
        }
    },

    /** Delimited protobuf {@code MetricFamily} messages: {@link ProtobufFormat}, the format with native histograms. */
    PROTOBUF(ProtobufFormat.CONTENT_TYPE) {
        @Override
        public void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException {
            ProtobufFormat.write(out, families, createdTimestamps);
        }

        @Override
        int specificity(AcceptHeader.Element range) {
            return range.value.equals("application/vnd.google.protobuf")
                    && "io.prometheus.client.MetricFamily".equals(range.parameter("proto"))
                    && "delimited".equals(range.parameter("encoding")) ? EXACT : NO_MATCH;
        }
    };

    /** The formats in order of preference when the header likes several equally (text first: every scraper reads it). */
    private static final ExpositionFormat[] FORMATS = values();
    private static final int NO_MATCH = -1;
    private static final int WILDCARD = 0;
    private static final int SUBTYPE_WILDCARD = 1;
    private static final int EXACT = 2;

    private final String contentType;

    ExpositionFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of a response in this format, with version and charset. */
    public String contentType() {
        return contentType;
    }

    /** Writes the families in this format (OpenMetrics and protobuf with created timestamps); flushes the stream, does not close it. */
    public void write(OutputStream out, Iterable<MetricFamily> families) throws IOException {
        write(out, families, true);
    }

    /** Writes the families; created timestamps ({@code _created} in OpenMetrics) only in OpenMetrics and protobuf, and only if asked. */
    public abstract void write(OutputStream out, Iterable<MetricFamily> families, boolean createdTimestamps) throws IOException;

    /** How closely the media range names this format: {@link #EXACT} down to {@link #WILDCARD}, or {@link #NO_MATCH}. */
    abstract int specificity(AcceptHeader.Element range);

    /**
     * The specificity of a media range for a format of this media type, which its subtype wildcard (such as
     * {@code text/*}) and the full wildcard also name; the exact type matches only in a version the format writes.
     */
    private static int mediaRangeSpecificity(AcceptHeader.Element range, String mediaType, String subtypeWildcard,
                                             boolean versionWritten) {
        if (range.value.equals(mediaType)) {
            return versionWritten ? EXACT : NO_MATCH;
        }
        return range.value.equals(subtypeWildcard) ? SUBTYPE_WILDCARD : range.value.equals("*/*") ? WILDCARD : NO_MATCH;
    }

    /**
     * The format to answer a request with this {@code Accept} header. Each format takes the q-value of the most
     * specific media range that matches it (q=0 excludes it); the higher q wins, then the more specific range,
     * then the range listed first. {@code application/openmetrics-text} matches OpenMetrics with version 1.0.0,
     * 0.0.1 or none; {@code text/plain} (any version), {@code text/*} and {@code *}{@code /*} match the text format;
     * protobuf is matched only by name ({@code application/vnd.google.protobuf} with
     * {@code proto=io.prometheus.client.MetricFamily} and {@code encoding=delimited}), never by a wildcard, as no
     * client that does not ask for it can read it. Parameters such as {@code escaping} do not matter: promlet's
     * names are valid under every escaping scheme. Without a header, or when nothing acceptable matches, the answer
     * is the text format 0.0.4, which every scraper reads.
     *
     * <p>Prometheus 2.x sends {@code application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*}{@code /*;q=0.1}
     * and gets OpenMetrics; with native histograms enabled it puts protobuf first and gets protobuf. Prometheus 3.x
     * does the same with its own q-values.
     *
     * @param acceptHeader the header's value, or null
     */
    public static ExpositionFormat negotiate(String acceptHeader) {
        List<AcceptHeader.Element> ranges = AcceptHeader.parse(acceptHeader);
        ExpositionFormat best = TEXT;
        AcceptHeader.Element bestRange = null;
        for (ExpositionFormat format : FORMATS) {
            AcceptHeader.Element range = format.applicableRange(ranges);
            if (range != null && range.quality > 0 && (bestRange == null || format.isPreferred(range, best, bestRange))) {
                best = format;
                bestRange = range;
            }
        }
        return best;
    }

    /** Whether this format, matched by {@code range}, is preferred to {@code other}, matched by {@code otherRange}. */
    private boolean isPreferred(AcceptHeader.Element range, ExpositionFormat other, AcceptHeader.Element otherRange) {
        if (range.quality != otherRange.quality) {
            return range.quality > otherRange.quality;
        }
        int bySpecificity = Integer.compare(specificity(range), other.specificity(otherRange));
        if (bySpecificity != 0) {
            return bySpecificity > 0;
        }
        return range.position < otherRange.position;
    }

    /** The most specific range that matches this format (the first of equally specific ones with the highest q), or null. */
    private AcceptHeader.Element applicableRange(List<AcceptHeader.Element> ranges) {
        AcceptHeader.Element best = null;
        int bestSpecificity = NO_MATCH;
        for (AcceptHeader.Element range : ranges) {
            int specificity = specificity(range);
            if (specificity > bestSpecificity
                    || specificity == bestSpecificity && specificity != NO_MATCH && range.quality > best.quality) {
                best = range;
                bestSpecificity = specificity;
            }
        }
        return best;
    }
}
