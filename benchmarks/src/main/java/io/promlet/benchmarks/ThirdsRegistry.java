package io.promlet.benchmarks;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;

/**
 * The registries of the rows about histogram kinds, one for each library: 1,000 families, a third each counters,
 * gauges and histograms with buckets {@code .1, 1, 10}, each with 10 children of 3 labels, all with values (20
 * observations a histogram child). The histograms are each library's default kind (classic and native buckets in
 * both), or classic only in both.
 */
final class ThirdsRegistry {
    static final int FAMILIES = 1000;
    static final int CHILDREN = 10;
    static final double[] BUCKETS = {.1, 1, 10};

    final CollectorRegistry promlet = new CollectorRegistry();
    final PrometheusRegistry clientJava = new PrometheusRegistry();

    ThirdsRegistry(boolean classicOnly) {
        for (int f = 0; f < FAMILIES; f++) {
            String name = "family_" + f;
            switch (f % 3) {
                case 0 -> {
                    Counter p = Counter.builder().name(name + "_total").help("A counter.").labelNames(Shapes.LABEL_NAMES).register(promlet);
                    var c = io.prometheus.metrics.core.metrics.Counter.builder().name(name + "_total").help("A counter.")
                            .labelNames(Shapes.LABEL_NAMES).withoutExemplars().register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        CounterDataPoint cc = c.labelValues(Shapes.LABEL_VALUES[i]);
                        Counter.Child pc = p.labels(Shapes.LABEL_VALUES[i]);
                        pc.inc(f + i + 1);
                        cc.inc(f + i + 1);
                    }
                }
                case 1 -> {
                    Gauge p = Gauge.builder().name(name).help("A gauge.").labelNames(Shapes.LABEL_NAMES).register(promlet);
                    var c = io.prometheus.metrics.core.metrics.Gauge.builder().name(name).help("A gauge.")
                            .labelNames(Shapes.LABEL_NAMES).withoutExemplars().register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        double value = Shapes.OBSERVATIONS[(f + i) & (Shapes.OBSERVATIONS.length - 1)];
                        p.labels(Shapes.LABEL_VALUES[i]).set(value);
                        c.labelValues(Shapes.LABEL_VALUES[i]).set(value);
                    }
                }
                default -> {
                    Histogram.Builder p = Histogram.builder().name(name + "_seconds").help("A histogram.")
                            .labelNames(Shapes.LABEL_NAMES).buckets(BUCKETS);
                    var c = io.prometheus.metrics.core.metrics.Histogram.builder().name(name + "_seconds")
                            .help("A histogram.").labelNames(Shapes.LABEL_NAMES).classicUpperBounds(BUCKETS).withoutExemplars();
                    if (classicOnly) {
                        p.classicOnly();
                        c.classicOnly();
                    }
                    Histogram ph = p.register(promlet);
                    var ch = c.register(clientJava);
                    for (int i = 0; i < CHILDREN; i++) {
                        observe(f + i, ph.labels(Shapes.LABEL_VALUES[i]), ch.labelValues(Shapes.LABEL_VALUES[i]));
                    }
                }
            }
        }
    }

    private static void observe(int seed, Histogram.Child promletChild, DistributionDataPoint clientJavaChild) {
        for (int k = 0; k < 20; k++) {
            double value = Shapes.OBSERVATIONS[(seed * 31 + k) & (Shapes.OBSERVATIONS.length - 1)];
            promletChild.observe(value);
            clientJavaChild.observe(value);
        }
    }
}
