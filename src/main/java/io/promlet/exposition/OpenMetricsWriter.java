package io.promlet.exposition;

import io.promlet.model.Exemplar;
import io.promlet.model.MetricFamily;
import io.promlet.model.MetricType;

import java.io.IOException;
import java.util.Locale;

/**
 * OpenMetrics 1.0.0: TYPE, UNIT and HELP in the order the specification recommends, {@code _created} samples when
 * enabled, exemplars on counter totals and histogram buckets, and {@code # EOF} at the end. Negative values, which
 * the specification forbids in {@code _sum} and quantiles, are left out: a histogram without {@code _sum} (negative
 * buckets, or a negative or NaN sum) has no {@code _count} either, as the specification ties the two together; a
 * summary leaves out a negative (or NaN) {@code _sum} and negative quantile values, and keeps its {@code _count}.
 */
final class OpenMetricsWriter extends ExpositionWriter {
    /** The end of each type's TYPE line, by ordinal: {@link MetricType} names the types as OpenMetrics does. */
    private static final String[] TYPE_LINE_ENDS = new String[MetricType.values().length];

    static {
        for (MetricType type : MetricType.values()) {
            TYPE_LINE_ENDS[type.ordinal()] = " " + type.name().toLowerCase(Locale.ROOT) + "\n";
        }
    }

    private final boolean createdTimestamps;

    OpenMetricsWriter(ExpositionOutput out, boolean createdTimestamps) {
        super(out);
        this.createdTimestamps = createdTimestamps;
    }

    @Override
    void metadata(MetricFamily family) throws IOException {
        out.ascii("# TYPE ");
        out.ascii(family.name());
        out.ascii(typeLineEnd(family.type()));
        if (!family.unit().isEmpty()) {
            out.ascii("# UNIT ");
            out.ascii(family.name());
            out.ascii(' ');
            out.ascii(family.unit());
            out.ascii('\n');
        }
        out.ascii("# HELP ");
        out.ascii(family.name());
        out.ascii(' ');
        out.quoted(family.help());
        out.ascii('\n');
    }

    /** The end of the TYPE line: the type as OpenMetrics names it. */
    static String typeLineEnd(MetricType type) {
        return TYPE_LINE_ENDS[type.ordinal()];
    }

    @Override
    boolean showsCreated(MetricFamily family) {
        return createdTimestamps && family.includes(family.name() + "_created");
    }

    @Override
    void exemplar(Exemplar exemplar) throws IOException {
        if (exemplar == null) {
            return;
        }
        out.ascii(" # ");
        labelSet(exemplar.labels());
        out.ascii(' ');
        out.value(exemplar.value());
        if (!Double.isNaN(exemplar.timestampSeconds())) {
            out.ascii(' ');
            out.value(exemplar.timestampSeconds());
        }
    }

    @Override
    boolean counterSemantics() {
        return true;
    }

    @Override
    void end() throws IOException {
        out.ascii("# EOF\n");
    }
}
