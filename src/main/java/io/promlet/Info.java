package io.promlet;

import io.promlet.internal.Value;
import io.promlet.internal.ValueStore;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static information about the target, exposed as labels on a constant 1: version, commit, build date.
 * The sample is named {@code <name>_info}.
 *
 * <pre>{@code
 * Info build = Info.builder().name("build").help("Build information.").register(registry);
 * build.info("version", "1.2.3", "commit", "abc123");
 * }</pre>
 */
public final class Info extends Metric<Info.Child> {
    private Info(Builder builder) {
        super(builder, (name, help, unit, labelNames) -> new InfoMetricFamily(name, help, labelNames), Child::new);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Replaces the information with these alternating names and values (metric without labels). */
    public void info(String... namesAndValues) {
        noLabelsChild().info(namesAndValues);
    }

    /** Replaces the information (metric without labels). */
    public void info(Map<String, String> info) {
        noLabelsChild().info(info);
    }

    @Override
    void addPoint(MetricFamily family, Child child) {
        ((InfoMetricFamily) family).add(new InfoMetricFamily.Point(child.labels));
    }

    /** The information of one combination of label values. */
    public static final class Child {
        private final String metricName;
        private final Labels ownLabels;
        private final ValueStore store;
        private volatile Labels labels;
        /** A shared store keeps a 0/1 flag per label set, 1 for the current one; null otherwise. Guarded by this. */
        private Value flag;

        private Child(Info info, Labels labels) {
            this.metricName = info.name();
            this.ownLabels = labels;
            this.store = info.store;
            this.labels = labels;
            if (store.shared()) {
                flag = store.gauge(metricName, metricName + "_info", labels);
                flag.set(1);
            }
        }

        /** Replaces the information with these alternating names and values. */
        public void info(String... namesAndValues) {
            if (namesAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("info " + metricName + ": odd number of names and values "
                        + List.of(namesAndValues));
            }
            Map<String, String> info = new LinkedHashMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                info.put(namesAndValues[i], namesAndValues[i + 1]);
            }
            info(info);
        }

        /**
         * Replaces the information.
         *
         * @throws IllegalArgumentException if a name is invalid or is one of the metric's own label names, or a value is
         *                                  not well-formed Unicode
         * @throws NullPointerException     if a name or a value is null
         */
        public void info(Map<String, String> info) {
            Labels all = ownLabels;
            for (Map.Entry<String, String> e : info.entrySet()) {
                // The model checks each label; its message gains the metric's name here.
                try {
                    all = all.plus(e.getKey(), e.getValue());
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException("info " + metricName + ": " + x.getMessage(), x);
                } catch (NullPointerException x) {
                    throw new NullPointerException("info " + metricName + ": " + x.getMessage());
                }
            }
            if (store.shared()) {
                synchronized (this) {
                    Value next = store.gauge(metricName, metricName + "_info", all);
                    // Cleared before set: another process's scrape may miss the info for a moment, but never sees two.
                    flag.set(0);
                    next.set(1);
                    flag = next;
                    labels = all;
                }
            } else {
                labels = all;
            }
        }
    }

    /** Builds an {@link Info}. */
    public static final class Builder extends Metric.Builder<Builder, Info> {
        private Builder() {
            super(Info::new);
        }
    }
}
