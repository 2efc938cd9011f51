package io.promlet.monitoring;

import io.promlet.CollectorRegistry;
import io.promlet.jvm.JvmMetrics;
import io.promlet.model.MetricFamily;
import io.promlet.model.MetricType;
import io.promlet.servlet.MetricsFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series names promlet's own instruments give a Prometheus server: those of {@link MetricsFilter} in each of its
 * latency kinds (summary, classic and native histogram) with response sizes on, and those of {@link JvmMetrics}, read
 * from the families they register (a labelled metric shows its family before its first request).
 */
public final class EmittedNames {

    private EmittedNames() {
    }

    /**
     * Every sample name, plus the bare name of each histogram (under which Prometheus stores a native histogram).
     */
    public static Set<String> all() throws ServletException {
        Set<String> names = new TreeSet<>();
        CollectorRegistry jvm = new CollectorRegistry();
        JvmMetrics.register(jvm);
        names.addAll(namesIn(jvm));
        names.addAll(filterNames(MetricsFilter.builder().responseSize(true)));
        names.addAll(filterNames(MetricsFilter.builder().responseSize(true).buckets(0.1, 1)));
        names.addAll(filterNames(MetricsFilter.builder().responseSize(true).nativeHistogram(true)));
        return names;
    }

    private static Set<String> filterNames(MetricsFilter.Builder builder) throws ServletException {
        CollectorRegistry registry = new CollectorRegistry();
        MetricsFilter filter = builder.registry(registry).build();
        filter.init(new FilterConfig() {
            @Override
            public String getFilterName() {
                return "metrics";
            }

            @Override
            public ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        });
        try {
            return namesIn(registry);
        } finally {
            filter.destroy();
        }
    }

    private static Set<String> namesIn(CollectorRegistry registry) {
        Set<String> names = new TreeSet<>();
        for (MetricFamily family : registry.collect()) {
            names.addAll(family.sampleNames());
            if (family.type() == MetricType.HISTOGRAM) {
                names.add(family.name());
            }
        }
        return names;
    }
}
