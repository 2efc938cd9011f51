package io.promlet.exposition;

import io.promlet.model.CounterMetricFamily;
import io.promlet.model.Exemplar;
import io.promlet.model.FloatFormat;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;
import io.promlet.model.ValueMetricFamily;

import java.io.IOException;
import java.util.Arrays;

/**
 * What the text format 0.0.4 and OpenMetrics share: the sample lines of every family type. The subclasses add
 * the metadata lines and the parts only OpenMetrics has ({@code _created}, exemplars, {@code # EOF}).
 *
 * <p>A family that is a filtered view is asked once per sample name which samples to show; a family that shows
 * none is left out, HELP and TYPE included. A family with no points shows HELP and TYPE only.
 */
abstract class ExpositionWriter implements FamilyVisitor {
    final ExpositionOutput out;
    private double[] formattedBounds;
    private String[] boundLabels;
    /** The labels last written by {@link #labelPairs}, and where their bytes are, to copy for the point's next line. */
    private Labels lastLabels;
    private long lastLabelsFrom;
    private long lastLabelsTo;

    ExpositionWriter(ExpositionOutput out) {
        this.out = out;
    }

    /** Writes the families and flushes. */
    final void write(Iterable<MetricFamily> families) throws IOException {
        for (MetricFamily family : families) {
            FamilyVisitor.visit(family, this);
        }
        end();
        out.flush();
    }

    /** Writes the HELP, TYPE and UNIT lines the format has. */
    abstract void metadata(MetricFamily family) throws IOException;

    /** Whether {@code _created} samples are written and this family shows them. */
    abstract boolean showsCreated(MetricFamily family);

    /** Writes the exemplar at the end of a sample line, if the format has them and there is one. */
    abstract void exemplar(Exemplar exemplar) throws IOException;

    /**
     * Whether {@code _count}, {@code _sum} and quantiles must keep to counter semantics, as OpenMetrics demands: a
     * {@code _sum} is never negative (nor NaN) and a histogram's {@code _count} comes only with its {@code _sum};
     * quantile values are never negative. Samples that do not are left out; the text format shows them (except a
     * histogram's {@code _sum} with negative buckets, which no format shows).
     */
    abstract boolean counterSemantics();

    /** Writes what follows the last family. */
    abstract void end() throws IOException;

    @Override
    public final void counter(CounterMetricFamily f) throws IOException {
        String name = f.name();
        boolean total = f.includes(name + "_total");
        boolean created = showsCreated(f);
        if (!total && !created) {
            return;
        }
        metadata(f);
        for (CounterMetricFamily.Point p : f.points()) {
            if (total) {
                sampleStart(name, "_total", p.labels());
                out.value(p.value());
                exemplar(p.exemplar());
                out.ascii('\n');
            }
            if (created) {
                created(name, p.labels(), p.created());
            }
        }
    }

    @Override
    public final void gauge(GaugeMetricFamily f) throws IOException {
        values(f);
    }

    @Override
    public final void unknown(UnknownMetricFamily f) throws IOException {
        values(f);
    }

    /** A gauge or unknown family: one sample per point, named like the family. */
    private void values(ValueMetricFamily<?> f) throws IOException {
        if (!f.includes(f.name())) {
            return;
        }
        metadata(f);
        for (ValueMetricFamily.Point p : f.points()) {
            sample(f.name(), "", p.labels(), p.value());
        }
    }

    @Override
    public final void summary(SummaryMetricFamily f) throws IOException {
        String name = f.name();
        boolean quantiles = f.includes(name);
        boolean count = f.includes(name + "_count");
        boolean sum = f.includes(name + "_sum");
        boolean created = showsCreated(f);
        if (!quantiles && !count && !sum && !created) {
            return;
        }
        metadata(f);
        for (SummaryMetricFamily.Point p : f.points()) {
            if (quantiles) {
                String[] ranks = boundLabels(p.quantiles());
                for (int i = 0; i < ranks.length; i++) {
                    if (counterSemantics() && p.values()[i] < 0) {
                        continue;
                    }
                    sampleStart(name, "", p.labels(), "quantile", ranks[i]);
                    out.value(p.values()[i]);
                    out.ascii('\n');
                }
            }
            if (count) {
                sampleStart(name, "_count", p.labels());
                out.count(p.count());
                out.ascii('\n');
            }
            // Not "< 0": a NaN sum (from observing both infinities) is no counter value either.
            if (sum && (p.sum() >= 0 || !counterSemantics())) {
                sample(name, "_sum", p.labels(), p.sum());
            }
            if (created) {
                created(name, p.labels(), p.created());
            }
        }
    }

    @Override
    public final void histogram(HistogramMetricFamily f) throws IOException {
        String name = f.name();
        boolean buckets = f.includes(name + "_bucket");
        boolean count = f.includes(name + "_count");
        boolean sum = f.includes(name + "_sum");
        boolean created = showsCreated(f);
        if (!buckets && !count && !sum && !created) {
            return;
        }
        metadata(f);
        for (HistogramMetricFamily.Point p : f.points()) {
            if (buckets) {
                String[] le = boundLabels(p.upperBounds());
                long[] counts = p.cumulativeCounts();
                Exemplar[] exemplars = p.exemplars();
                for (int i = 0; i < le.length; i++) {
                    sampleStart(name, "_bucket", p.labels(), "le", le[i]);
                    out.count(counts[i]);
                    if (exemplars != null) {
                        exemplar(exemplars[i]);
                    }
                    out.ascii('\n');
                }
            }
            // Observations below the lowest bound can make the sum negative even when no bound is.
            boolean hasSum = p.hasSum() && (p.sum() >= 0 || !counterSemantics());
            if (count && (hasSum || !counterSemantics())) {
                sampleStart(name, "_count", p.labels());
                out.count(p.count());
                out.ascii('\n');
            }
            if (sum && hasSum) {
                sample(name, "_sum", p.labels(), p.sum());
            }
            if (created) {
                created(name, p.labels(), p.created());
            }
        }
    }

    @Override
    public final void info(InfoMetricFamily f) throws IOException {
        if (!f.includes(f.name() + "_info")) {
            return;
        }
        metadata(f);
        for (InfoMetricFamily.Point p : f.points()) {
            sampleStart(f.name(), "_info", p.labels());
            out.ascii("1.0\n");
        }
    }

    @Override
    public final void stateSet(StateSetMetricFamily f) throws IOException {
        String name = f.name();
        if (!f.includes(name)) {
            return;
        }
        metadata(f);
        for (StateSetMetricFamily.Point p : f.points()) {
            String[] states = p.states();
            boolean[] enabled = p.enabled();
            for (int i = 0; i < states.length; i++) {
                sampleStart(name, "", p.labels(), name, states[i]);
                out.ascii(enabled[i] ? "1.0\n" : "0.0\n");
            }
        }
    }

    private void created(String name, Labels labels, double created) throws IOException {
        if (!Double.isNaN(created)) {
            sample(name, "_created", labels, created);
        }
    }

    private void sample(String name, String suffix, Labels labels, double value) throws IOException {
        sampleStart(name, suffix, labels);
        out.value(value);
        out.ascii('\n');
    }

    /** Writes the sample name, the labels and the space before the value. */
    private void sampleStart(String name, String suffix, Labels labels) throws IOException {
        out.ascii(name);
        out.ascii(suffix);
        if (labels.size() > 0) {
            out.ascii('{');
            labelPairs(labels);
            out.ascii('}');
        }
        out.ascii(' ');
    }

    /** Same, with one more label such as {@code le} or {@code quantile} after the point's own. */
    private void sampleStart(String name, String suffix, Labels labels, String extraName, String extraValue)
            throws IOException {
        out.ascii(name);
        out.ascii(suffix);
        out.ascii('{');
        if (labels.size() > 0) {
            labelPairs(labels);
            out.ascii(',');
        }
        labelPair(extraName, extraValue);
        out.ascii("} ");
    }

    /** Writes {@code {a="x",b="y"}}, the braces included, for an exemplar; an empty set as {@code {}}. */
    final void labelSet(Labels labels) throws IOException {
        out.ascii('{');
        labelPairs(labels);
        out.ascii('}');
    }

    /** Writes the label pairs; the lines of one point share its labels, so all but the first copy them. */
    private void labelPairs(Labels labels) throws IOException {
        if (labels == lastLabels && out.repeat(lastLabelsFrom, lastLabelsTo)) {
            return;
        }
        long from = out.written();
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                out.ascii(',');
            }
            labelPair(labels.name(i), labels.value(i));
        }
        lastLabels = labels;
        lastLabelsFrom = from;
        lastLabelsTo = out.written();
    }

    private void labelPair(String name, String value) throws IOException {
        out.name(name);
        out.ascii("=\"");
        out.quoted(value);
        out.ascii('"');
    }

    /**
     * The {@code le} or {@code quantile} label values of these bounds, as the model formats them. Formatted once per
     * family: the children of one metric share their bounds.
     */
    private String[] boundLabels(double[] bounds) {
        if (bounds != formattedBounds && !Arrays.equals(bounds, formattedBounds)) {
            String[] labels = new String[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                labels[i] = FloatFormat.format(bounds[i]);
            }
            formattedBounds = bounds;
            boundLabels = labels;
        }
        return boundLabels;
    }
}
