package io.promlet.exposition;

import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.MetricFamily;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;
import io.promlet.model.UnknownMetricFamily;

import java.io.IOException;

/** What a writer does with each type of family; {@link #visit} picks the method, so the switch on types exists once. */
interface FamilyVisitor {
    void counter(CounterMetricFamily f) throws IOException;

    void gauge(GaugeMetricFamily f) throws IOException;

    void summary(SummaryMetricFamily f) throws IOException;

    void histogram(HistogramMetricFamily f) throws IOException;

    void info(InfoMetricFamily f) throws IOException;

    void stateSet(StateSetMetricFamily f) throws IOException;

    void unknown(UnknownMetricFamily f) throws IOException;

    /** Calls the method for the family's type; each type has exactly one family class. */
    static void visit(MetricFamily family, FamilyVisitor visitor) throws IOException {
        switch (family.type()) {
            case COUNTER:
                visitor.counter((CounterMetricFamily) family);
                break;
            case GAUGE:
                visitor.gauge((GaugeMetricFamily) family);
                break;
            case SUMMARY:
                visitor.summary((SummaryMetricFamily) family);
                break;
            case HISTOGRAM:
                visitor.histogram((HistogramMetricFamily) family);
                break;
            case INFO:
                visitor.info((InfoMetricFamily) family);
                break;
            case STATESET:
                visitor.stateSet((StateSetMetricFamily) family);
                break;
            case UNKNOWN:
                visitor.unknown((UnknownMetricFamily) family);
                break;
            default:
                throw new IllegalArgumentException("metric " + family.name() + " has the unknown type " + family.type());
        }
    }
}
