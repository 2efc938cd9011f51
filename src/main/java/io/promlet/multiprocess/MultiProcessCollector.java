package io.promlet.multiprocess;

import io.promlet.Collector;
import io.promlet.internal.NativeBucketTally;
import io.promlet.multiprocess.SharedDirectory.Source;
import io.promlet.multiprocess.ValueFile.Entry;
import io.promlet.multiprocess.ValueFile.Key;
import io.promlet.model.CounterMetricFamily;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.HistogramMetricFamily;
import io.promlet.model.InfoMetricFamily;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;
import io.promlet.model.NativeBuckets;
import io.promlet.model.StateSetMetricFamily;
import io.promlet.model.SummaryMetricFamily;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Aggregates the values of every process of the multi-process mode (see {@link MultiProcess}) into one set
 * of families: counters, histograms and summary counts and sums are added up (native histogram buckets by
 * index, the schema then reduced to the histogram's bucket limit); gauges combine as their
 * {@link io.promlet.Gauge.MultiProcessMode} says; info and state sets show what any live process has. Register it
 * with a registry of its own and serve that registry:
 *
 * <pre>{@code
 * CollectorRegistry scraped = new CollectorRegistry();
 * scraped.register(new MultiProcessCollector());
 * }</pre>
 *
 * <p>A file that cannot be read (damaged, truncated, empty) is skipped with one warning, and the rest is
 * served; so is an entry whose key is damaged (names invalid in Prometheus, bytes that are not UTF-8).
 * Exemplars and {@code _created} samples are not shown.
 */
public final class MultiProcessCollector implements Collector {
    private static final System.Logger LOG = System.getLogger(MultiProcessCollector.class.getName());

    private final Path directory;
    private final Set<Path> warnedFiles = ConcurrentHashMap.newKeySet();
    private final Set<String> warnedFamilies = ConcurrentHashMap.newKeySet();

    /**
     * A collector of this process's multi-process directory.
     *
     * @throws IllegalStateException if the mode is off
     */
    public MultiProcessCollector() {
        this(MultiProcess.directory().orElseThrow(() -> new IllegalStateException("multi-process mode is off: set "
                + MultiProcess.ENVIRONMENT_VARIABLE + " or " + MultiProcess.SYSTEM_PROPERTY
                + ", or call MultiProcess.enable, or name the directory")));
    }

    /**
     * A collector of this directory, for a process that only serves the scrape.
     *
     * @throws IllegalArgumentException if the directory does not exist, is not a directory or is not writable
     */
    public MultiProcessCollector(Path directory) {
        this.directory = SharedDirectory.validate(directory, "the directory given to MultiProcessCollector");
    }

    /**
     * The aggregated families, sorted by name.
     *
     * @throws UncheckedIOException if the directory cannot be listed
     */
    @Override
    public List<MetricFamily> collect() {
        List<Source> sources;
        try {
            sources = new SharedDirectory(directory, SharedDirectory.JVM).read(this::warnOnce);
        } catch (IOException e) {
            throw new UncheckedIOException("multi-process mode: cannot read " + directory, e);
        }
        warnedFiles.removeIf(p -> !Files.exists(p));
        Map<String, Family> families = new TreeMap<>();
        for (Source source : sources) {
            for (Entry entry : source.entries) {
                add(families, source, entry);
            }
        }
        List<MetricFamily> result = new ArrayList<>(families.size());
        for (Family f : families.values()) {
            try {
                result.add(f.build(problem -> warnFamily(f.first.family, problem)));
            } catch (IllegalArgumentException e) {
                warnFamily(f.first.family, "cannot be shown: " + e.getMessage());
            }
        }
        return result;
    }

    /** The families are whatever the processes have written, known only at scrape time. */
    @Override
    public boolean sampleNamesKnown() {
        return false;
    }

    private void add(Map<String, Family> families, Source source, Entry entry) {
        Key key = entry.key;
        FileKind kind = FileKind.named(key.kind);
        if (kind == null) {
            warnFamily(key.family, "has values of an unknown kind " + key.kind + ", written by another promlet version");
            return;
        }
        if (!source.alive && kind.live()) {
            return;
        }
        Family family = families.computeIfAbsent(key.family, name -> new Family(key));
        if (!family.first.kind.equals(key.kind)) {
            warnFamily(key.family, "is written as " + family.first.kind + " by some processes and as "
                    + key.kind + " by others; only " + family.first.kind + " is shown");
            return;
        }
        Entry e = source.id != null ? SharedDirectory.withProcessLabel(entry, source.id) : entry;
        family.samples.merge(List.of(key.sample, e.key.labels), e, kind::combine);
    }

    private void warnOnce(Path file, String problem) {
        if (warnedFiles.add(file)) {
            LOG.log(System.Logger.Level.WARNING, "multi-process mode: " + file + " " + problem);
        }
    }

    private void warnFamily(String family, String problem) {
        if (warnedFamilies.add(family + problem)) {
            LOG.log(System.Logger.Level.WARNING, "multi-process mode: metric " + family + " " + problem);
        }
    }

    /** The aggregated samples of one family, by sample name and labels. */
    private static final class Family {
        final Key first;
        /** Keyed by sample name and labels; each entry's own key has the same ones. */
        final Map<List<Object>, Entry> samples = new LinkedHashMap<>();

        Family(Key first) {
            this.first = first;
        }

        /** The family; {@code warn} is told of what it leaves out. */
        MetricFamily build(Consumer<String> warn) {
            String name = first.family;
            switch (first.kind) {
                case "counter": {
                    CounterMetricFamily family = new CounterMetricFamily(name, first.help, first.unit, labelNames());
                    samples.values().forEach(e -> family.add(new CounterMetricFamily.Point(e.key.labels, e.value, null, Double.NaN)));
                    return family;
                }
                case "histogram":
                    return histogram(name, warn);
                case "summary":
                    return summary(name);
                case "info": {
                    InfoMetricFamily family = new InfoMetricFamily(name, first.help, labelNames());
                    samples.values().forEach(e -> {
                        if (e.value >= 1) {
                            family.add(new InfoMetricFamily.Point(e.key.labels));
                        }
                    });
                    return family;
                }
                case "stateset":
                    return stateSet(name);
                default: {
                    GaugeMetricFamily family = new GaugeMetricFamily(name, first.help, first.unit, labelNames());
                    samples.values().forEach(e -> family.add(new GaugeMetricFamily.Point(e.key.labels, e.value)));
                    return family;
                }
            }
        }

        /**
         * Classic bucket counts come from the {@code _bucket} values (of classic-only histograms) and the native
         * bucket parts in them; native buckets from the parts alone, so they are shown only for a child whose
         * processes all counted in native buckets: then both are sums of the same values and agree.
         */
        private HistogramMetricFamily histogram(String name, Consumer<String> warn) {
            Map<Labels, HistogramCounts> points = new LinkedHashMap<>();
            String nativeSample = NativeBucketKey.sampleName(name);
            samples.values().forEach(e -> {
                String sample = e.key.sample;
                if (sample.equals(name + "_bucket")) {
                    Labels labels = withoutLast(e.key.labels, "le");
                    HistogramCounts counts = points.computeIfAbsent(labels, l -> new HistogramCounts());
                    long n = Math.round(e.value);
                    counts.classic.merge(bound(e.key.labels), n, Long::sum);
                    counts.classicOnly += n;
                } else if (sample.equals(nativeSample)) {
                    Labels labels = withoutLast(e.key.labels, "le");
                    HistogramCounts counts = points.computeIfAbsent(labels, l -> new HistogramCounts());
                    NativeBucketKey part = NativeBucketKey.decode(e.key.labels.value(labels.size()));
                    long n = Math.round(e.value);
                    counts.classic.merge(part.classicUpperBound, n, Long::sum);
                    if (part.zero) {
                        counts.tally.addZero(part.schema, part.zeroThreshold, part.maxBuckets, n);
                    } else {
                        counts.tally.add(part.schema, part.zeroThreshold, part.maxBuckets, part.negative, part.index, n);
                    }
                } else if (sample.equals(name + "_sum")) {
                    points.computeIfAbsent(e.key.labels, l -> new HistogramCounts()).sum += e.value;
                }
            });
            HistogramMetricFamily family = new HistogramMetricFamily(name, first.help, first.unit,
                    points.isEmpty() ? List.of() : names(points.keySet().iterator().next()));
            points.forEach((labels, counts) -> {
                if (counts.classic.isEmpty()) {
                    return; // a sum without buckets: its bucket entries were damaged
                }
                double[] bounds = new double[counts.classic.size()];
                long[] cumulative = new long[counts.classic.size()];
                long running = 0;
                int i = 0;
                for (Map.Entry<Double, Long> c : counts.classic.entrySet()) {
                    running += c.getValue();
                    bounds[i] = c.getKey();
                    cumulative[i++] = running;
                }
                NativeBuckets nativeBuckets = null;
                if (!counts.tally.isEmpty()) {
                    if (counts.classicOnly == 0) {
                        nativeBuckets = counts.tally.buckets();
                    } else {
                        warn.accept("has native buckets in some processes and classic buckets only in others; its native"
                                + " buckets are not shown");
                    }
                }
                family.add(new HistogramMetricFamily.Point(labels, bounds, cumulative, counts.sum, null, Double.NaN,
                        nativeBuckets));
            });
            return family;
        }

        /** What the processes counted for one child of a histogram. */
        private static final class HistogramCounts {
            /** By classic upper bound, not cumulative. */
            final TreeMap<Double, Long> classic = new TreeMap<>();
            /** The observations counted in classic buckets only. */
            long classicOnly;
            final NativeBucketTally tally = new NativeBucketTally();
            double sum;
        }

        private SummaryMetricFamily summary(String name) {
            Map<Labels, double[]> countAndSum = new LinkedHashMap<>();
            samples.values().forEach(e -> {
                int index = e.key.sample.equals(name + "_count") ? 0 : e.key.sample.equals(name + "_sum") ? 1 : -1;
                if (index >= 0) {
                    countAndSum.computeIfAbsent(e.key.labels, l -> new double[2])[index] += e.value;
                }
            });
            SummaryMetricFamily family = new SummaryMetricFamily(name, first.help, first.unit,
                    countAndSum.isEmpty() ? List.of() : names(countAndSum.keySet().iterator().next()));
            double[] none = new double[0];
            countAndSum.forEach((labels, cs) ->
                    family.add(new SummaryMetricFamily.Point(labels, Math.round(cs[0]), cs[1], none, none, Double.NaN)));
            return family;
        }

        private StateSetMetricFamily stateSet(String name) {
            Map<Labels, Map<String, Boolean>> states = new LinkedHashMap<>();
            samples.values().forEach(e -> states.computeIfAbsent(withoutLast(e.key.labels, name), l -> new LinkedHashMap<>())
                    .merge(e.key.labels.value(e.key.labels.size() - 1), e.value >= 1, Boolean::logicalOr));
            StateSetMetricFamily family = new StateSetMetricFamily(name, first.help,
                    states.isEmpty() ? List.of() : names(states.keySet().iterator().next()));
            states.forEach((labels, flags) -> {
                String[] names = flags.keySet().toArray(new String[0]);
                boolean[] enabled = new boolean[names.length];
                for (int i = 0; i < names.length; i++) {
                    enabled[i] = flags.get(names[i]);
                }
                family.add(new StateSetMetricFamily.Point(labels, names, enabled));
            });
            return family;
        }

        private List<String> labelNames() {
            return samples.isEmpty() ? List.of() : names(samples.values().iterator().next().key.labels);
        }

        private static List<String> names(Labels labels) {
            String[] names = new String[labels.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = labels.name(i);
            }
            return List.of(names);
        }

        /** The labels without the last one, which must be named {@code name} (a bucket's le, a state). */
        private static Labels withoutLast(Labels labels, String name) {
            int n = labels.size() - 1;
            if (n < 0 || !labels.name(n).equals(name)) {
                throw new IllegalArgumentException("a sample lacks its " + name + " label: " + labels);
            }
            String[] names = new String[n];
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = labels.name(i);
                values[i] = labels.value(i);
            }
            return Labels.of(names, values);
        }

        private static double bound(Labels bucketLabels) {
            String le = bucketLabels.value(bucketLabels.size() - 1);
            switch (le) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(le);
            }
        }
    }

    @Override
    public String toString() {
        return "MultiProcessCollector[" + directory + "]";
    }
}
