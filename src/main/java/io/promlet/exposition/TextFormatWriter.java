package io.promlet.exposition;

import io.promlet.model.Exemplar;
import io.promlet.model.MetricFamily;

import java.io.IOException;

/**
 * The Prometheus text format 0.0.4. It has no {@code _created} samples, no exemplars and no units; a counter's
 * HELP and TYPE name its {@code _total} sample, info is a gauge named {@code x_info}, a state set a gauge with
 * a label named like itself, unknown is {@code untyped}. A histogram with negative buckets keeps its
 * {@code _count} here: the format does not tie it to {@code _sum}, and it is the one way to rate the observations.
 */
final class TextFormatWriter extends ExpositionWriter {
    TextFormatWriter(ExpositionOutput out) {
        super(out);
    }

    @Override
    void metadata(MetricFamily family) throws IOException {
        String suffix = switch (family.type()) {
            case COUNTER -> "_total";
            case INFO -> "_info";
            default -> "";
        };
        out.ascii("# HELP ");
        out.ascii(family.name());
        out.ascii(suffix);
        out.ascii(' ');
        out.helpText(family.help());
        out.ascii("\n# TYPE ");
        out.ascii(family.name());
        out.ascii(suffix);
        out.ascii(switch (family.type()) {
            case COUNTER -> " counter\n";
            case HISTOGRAM -> " histogram\n";
            case SUMMARY -> " summary\n";
            case UNKNOWN -> " untyped\n";
            case GAUGE, INFO, STATESET -> " gauge\n";
        });
    }

    @Override
    boolean showsCreated(MetricFamily family) {
        return false;
    }

    @Override
    void exemplar(Exemplar exemplar) {
    }

    @Override
    boolean countWithoutSum() {
        return true;
    }

    @Override
    void end() {
    }
}
