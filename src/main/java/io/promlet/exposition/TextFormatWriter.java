package io.promlet.exposition;

import io.promlet.model.Exemplar;
import io.promlet.model.MetricFamily;
import io.promlet.model.MetricType;

import java.io.IOException;

/**
 * The Prometheus text format 0.0.4. It has no {@code _created} samples, no exemplars and no units; a counter's
 * HELP and TYPE name its {@code _total} sample, info is a gauge named {@code x_info}, a state set a gauge with
 * a label named like itself, unknown is {@code untyped}. A histogram with negative buckets keeps its
 * {@code _count} here: the format does not tie it to {@code _sum}, and it is the one way to rate the observations.
 * A summary's negative {@code _sum} and quantiles are shown too: the format does not forbid them.
 */
final class TextFormatWriter extends ExpositionWriter {
    TextFormatWriter(ExpositionOutput out) {
        super(out);
    }

    @Override
    void metadata(MetricFamily family) throws IOException {
        String suffix = sampleSuffix(family.type());
        out.ascii("# HELP ");
        out.ascii(family.name());
        out.ascii(suffix);
        out.ascii(' ');
        out.helpText(family.help());
        out.ascii("\n# TYPE ");
        out.ascii(family.name());
        out.ascii(suffix);
        out.ascii(typeLineEnd(family.type()));
    }

    /** What HELP and TYPE append to the family name: the name of the family's one sample where it differs. */
    private static String sampleSuffix(MetricType type) {
        switch (type) {
            case COUNTER:
                return "_total";
            case INFO:
                return "_info";
            default:
                return "";
        }
    }

    /**
     * The end of the TYPE line: the type as the text format names it, which is the OpenMetrics name but for info and
     * state sets (gauges here) and unknown ({@code untyped}).
     */
    private static String typeLineEnd(MetricType type) {
        switch (type) {
            case INFO:
            case STATESET:
                return " gauge\n";
            case UNKNOWN:
                return " untyped\n";
            default:
                return OpenMetricsWriter.typeLineEnd(type);
        }
    }

    @Override
    boolean showsCreated(MetricFamily family) {
        return false;
    }

    @Override
    void exemplar(Exemplar exemplar) {
    }

    @Override
    boolean counterSemantics() {
        return false;
    }

    @Override
    void end() {
    }
}
