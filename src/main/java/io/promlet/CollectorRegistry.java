package io.promlet;

import io.promlet.internal.ProcessStore;
import io.promlet.internal.ValueStore;
import io.promlet.model.MetricFamily;
import io.promlet.model.Sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A set of collectors scraped together. Registration rejects two collectors that would expose the same
 * sample name, and a scrape leaves out a family whose sample name an earlier one already shows (from a collector whose
 * names were unknown at registration), so one registry always renders a valid exposition.
 *
 * <pre>{@code
 * CollectorRegistry registry = new CollectorRegistry();
 * Counter requests = Counter.builder().name("requests_total").help("Requests.").register(registry);
 * String text = TextFormat.generateLatest(registry);
 * }</pre>
 *
 * <p>Registration is synchronized; {@link #collect()} and {@link #collectLazily()} read a copy-on-write list and
 * never block it.
 */
public class CollectorRegistry implements Collector {
    /**
     * The cardinality limit of a registry that is not given another: children per metric, the overflow child
     * included. OpenTelemetry's SDK has the same default; an application whose labels have few values never reaches
     * it, one that puts user ids or raw URLs into labels soon does.
     */
    public static final int DEFAULT_CARDINALITY_LIMIT = 2000;
    /** The name of the count of label sets recorded in an overflow child, as exposed. */
    static final String OVERFLOW_COUNT_NAME = "promlet_cardinality_overflow_total";
    private static final System.Logger LOGGER = System.getLogger(CollectorRegistry.class.getName());
    private final Map<Collector, List<String>> namesByCollector = new LinkedHashMap<>();
    private final Map<String, Collector> collectorBySampleName = new HashMap<>();
    private volatile List<Registration> registrations = List.of();
    /** Names whose clash at scrape time has been logged: once each, or every scrape would log it again. */
    private final Set<String> clashesReported = ConcurrentHashMap.newKeySet();
    private volatile int cardinalityLimit = DEFAULT_CARDINALITY_LIMIT;
    private volatile Function<String, String> metricSettings;
    /** {@code promlet_cardinality_overflow_total}, made and registered when a metric first overflows. */
    private Counter overflowCount;

    /** A collector and the sample names it exposes; null names if they are known only at scrape time. */
    private static final class Registration {
        final Collector collector;
        final Set<String> sampleNames;

        Registration(Collector collector, Set<String> sampleNames) {
            this.collector = collector;
            this.sampleNames = sampleNames;
        }

        boolean mayExpose(Set<String> wanted) {
            return sampleNames == null || sampleNames.stream().anyMatch(wanted::contains);
        }
    }

    /** A new, empty registry. */
    public CollectorRegistry() {
    }

    /**
     * The registry that {@code register()} without arguments uses and {@code MetricsServlet} serves by default.
     * It starts with the JVM and process metrics of {@link io.promlet.jvm.JvmMetrics}; remove them with
     * {@code JvmMetrics.unregisterFrom(CollectorRegistry.defaultRegistry())}.
     */
    public static CollectorRegistry defaultRegistry() {
        return DefaultRegistry.INSTANCE;
    }

    /**
     * What a metrics endpoint serves when it is given no registry: the {@link #defaultRegistry()}, or, in the
     * multi-process mode ({@code io.promlet.multiprocess.MultiProcess}), a new registry that shows the values of
     * every process. Like building a metric, it decides the mode if nothing has yet.
     */
    public static CollectorRegistry defaultScrapeRegistry() {
        ValueStore store = ProcessStore.get();
        if (!store.shared()) {
            return defaultRegistry();
        }
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new Collector() {
            @Override
            public List<MetricFamily> collect() {
                return store.collectAllProcesses();
            }

            @Override
            public boolean sampleNamesKnown() {
                return false;
            }
        });
        return registry;
    }

    /**
     * Sets the cardinality limit of every metric registered here that has none of its own
     * ({@link Metric.Builder#cardinalityLimit}): at most this many children per metric, the overflow child included.
     * It applies at once to the metrics registered before and after, when they next create a child; children beyond
     * a lowered limit stay until removed. {@code Integer.MAX_VALUE} turns the limit off.
     *
     * @throws IllegalArgumentException if it is below 1
     */
    public void setCardinalityLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the cardinality limit must be at least 1, got " + limit);
        }
        cardinalityLimit = limit;
    }

    /**
     * Sets where the metrics registered here from now on find the settings their code left unset: {@code settings}
     * maps a key such as {@code promlet.metric.job_duration_seconds.buckets} to its value, or to null. The keys are
     * {@code buckets}, {@code native-histogram}, {@code native-initial-schema}, {@code native-max-number-of-buckets},
     * {@code native-min-zero-threshold} and {@code native-reset-duration-seconds} of a histogram, {@code quantiles}
     * of a summary, after {@code promlet.metric.<name>.}, the name as exposed; the values are written as in
     * {@code web.xml}. A value the code set always wins. {@code MetricsFilter} and the drop-in registration set the
     * context's settings (context-params, system properties, environment variables, {@code promlet.properties}) on
     * the default registry when any {@code promlet.metric.} key is present.
     *
     * <pre>{@code
     * registry.setMetricSettings(System::getProperty);   // -Dpromlet.metric.job_duration_seconds.buckets=1,5,30
     * }</pre>
     *
     * @param settings the lookup, or null for none (the start)
     */
    public void setMetricSettings(Function<String, String> settings) {
        metricSettings = settings;
    }

    /** The metric settings source, or null; see {@link #setMetricSettings}. */
    public Function<String, String> metricSettings() {
        return metricSettings;
    }

    /** The cardinality limit of the metrics registered here without one of their own; see {@link #setCardinalityLimit}. */
    public int cardinalityLimit() {
        return cardinalityLimit;
    }

    /**
     * The count, in {@code promlet_cardinality_overflow_total{metric="..."}}, of the label sets a metric recorded in
     * its overflow child. The counter is registered here when the first metric overflows, so a scrape shows it from
     * then on, and a registry whose metrics never overflow shows nothing more. In the multi-process mode its values,
     * like every counter's, are in the shared files and added up over the processes.
     *
     * @param store where the overflowing metric keeps its values (null: the process's store), for the counter too
     */
    synchronized Counter.Child overflowCount(String metricName, ValueStore store) {
        if (overflowCount == null) {
            // Built on a scratch registry, so that a clash below cannot leave it unmade.
            overflowCount = Counter.builder().name(OVERFLOW_COUNT_NAME)
                    .help("Label sets recorded in a metric's overflow child (every label OTHER) because the metric"
                            + " had reached its cardinality limit.")
                    .labelNames("metric").cardinalityLimit(Integer.MAX_VALUE).valueStore(store)
                    .register(new CollectorRegistry());
        }
        if (!namesByCollector.containsKey(overflowCount)) {
            try {
                register(overflowCount);
            } catch (IllegalArgumentException e) {
                // The metric that overflows must go on working: it is the count that goes unseen.
                LOGGER.log(System.Logger.Level.WARNING, "Metric " + metricName + " overflowed, but its overflow count"
                        + " cannot be shown: " + e.getMessage());
            }
        }
        return overflowCount.labels(metricName);
    }

    /**
     * Adds a collector.
     *
     * @throws IllegalArgumentException if one of its sample names is already taken, naming both metrics
     */
    public synchronized void register(Collector collector) {
        Objects.requireNonNull(collector, "collector");
        if (namesByCollector.containsKey(collector)) {
            throw new IllegalArgumentException("collector " + describe(collector) + " is already registered");
        }
        List<String> names = collector.sampleNamesKnown() ? sampleNames(collector) : List.of();
        for (String name : names) {
            Collector other = collectorBySampleName.get(name);
            if (other != null) {
                throw new IllegalArgumentException("metric " + describe(collector) + " clashes with " + describe(other)
                        + ": both expose the sample name " + name);
            }
        }
        names.forEach(name -> collectorBySampleName.put(name, collector));
        namesByCollector.put(collector, names);
        publish();
        if (collector instanceof Metric) {
            ((Metric<?>) collector).registeredIn(this);
        }
    }

    /**
     * Adds several collectors: all of them or, if one cannot be added, none, so that a group of metrics that belong
     * together is never left half registered.
     *
     * <pre>{@code
     * registry.registerAll(List.of(requests, latency));
     * }</pre>
     *
     * @throws IllegalArgumentException as {@link #register} does, for the first collector that cannot be added
     */
    public synchronized void registerAll(Collection<? extends Collector> collectors) {
        List<Collector> done = new ArrayList<>();
        try {
            for (Collector collector : collectors) {
                register(collector);
                done.add(collector);
            }
        } catch (RuntimeException e) {
            done.forEach(this::unregister);
            throw e;
        }
    }

    /** Removes a collector and frees its sample names; does nothing if it is not registered. */
    public synchronized void unregister(Collector collector) {
        List<String> names = namesByCollector.remove(collector);
        if (names != null) {
            names.forEach(collectorBySampleName::remove);
            publish();
        }
    }

    /** Removes every collector. */
    public synchronized void clear() {
        namesByCollector.clear();
        collectorBySampleName.clear();
        publish();
    }

    private void publish() {
        List<Registration> list = new ArrayList<>(namesByCollector.size());
        // A collector that showed no name at registration may show some later: its names count as unknown.
        namesByCollector.forEach((c, names) -> list.add(new Registration(c, names.isEmpty() ? null : Set.copyOf(names))));
        registrations = List.copyOf(list);
    }

    /**
     * Every family of every collector, in registration order. A collector that throws makes this throw, as does one
     * that returns a null family. A family that shows a sample name an earlier one shows (possible only for collectors
     * whose names were unknown at registration) is left out, with one warning per name.
     */
    @Override
    public List<MetricFamily> collect() {
        return listOf(collectLazily());
    }

    /**
     * A view that shows only the samples with these names (the {@code name[]} parameter of a scrape). Collectors
     * that exposed none of them at registration are not collected at all, unless their names are unknown (see
     * {@link Collector#sampleNamesKnown()}). Clashing families are left out as by {@link #collect()}.
     */
    public Collector filteredBy(Collection<String> sampleNames) {
        Iterable<MetricFamily> families = collectLazily(sampleNames);
        return () -> listOf(families);
    }

    /**
     * The families of {@link #collect()}, each collector collected only when the iteration reaches it, so that a
     * transport writing as it goes holds one collector's families at a time, not the whole registry's: the scrape
     * handler serves a scrape this way. Each iteration is a new scrape; a collector that throws makes
     * {@code hasNext()} throw. Every family is a consistent snapshot of its metric; two metrics are read one after
     * the other, as the Python client reads them.
     *
     * <pre>{@code
     * TextFormat.write(response.getOutputStream(), registry.collectLazily());
     * }</pre>
     */
    public Iterable<MetricFamily> collectLazily() {
        return () -> new ScrapeIterator(null);
    }

    /** {@link #collectLazily()} of {@link #filteredBy(Collection) filteredBy(sampleNames)}. */
    public Iterable<MetricFamily> collectLazily(Collection<String> sampleNames) {
        Set<String> wanted = Set.copyOf(sampleNames);
        return () -> new ScrapeIterator(wanted);
    }

    private static List<MetricFamily> listOf(Iterable<MetricFamily> families) {
        List<MetricFamily> list = new ArrayList<>();
        families.forEach(list::add);
        return list;
    }

    /** One scrape: the collectors in registration order, each collected when the previous one's families are used up. */
    private final class ScrapeIterator implements Iterator<MetricFamily> {
        private final Scrape scrape = new Scrape();
        private final Iterator<Registration> registrations = CollectorRegistry.this.registrations.iterator();
        /** The wanted sample names, or null for all. */
        private final Set<String> wanted;
        private Collector collector;
        private Iterator<MetricFamily> families = Collections.emptyIterator();
        private MetricFamily next;

        ScrapeIterator(Set<String> wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (families.hasNext()) {
                    MetricFamily family = families.next();
                    if (scrape.admits(collector, family)) {
                        next = wanted == null ? family : shown(family);
                    }
                } else if (registrations.hasNext()) {
                    Registration r = registrations.next();
                    if (wanted == null || r.mayExpose(wanted)) {
                        collector = r.collector;
                        families = familiesOf(collector).iterator();
                    }
                } else {
                    return false;
                }
            }
            return true;
        }

        /** The family's wanted samples, or null if it has none. */
        private MetricFamily shown(MetricFamily family) {
            return family.sampleNames().stream().anyMatch(wanted::contains) ? family.filtered(wanted::contains) : null;
        }

        @Override
        public MetricFamily next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            MetricFamily family = next;
            next = null;
            return family;
        }
    }

    private static List<MetricFamily> familiesOf(Collector collector) {
        List<MetricFamily> families = collector.collect();
        if (families == null) {
            throw new IllegalStateException("collector " + describe(collector) + " returned null instead of a list");
        }
        return families;
    }

    /**
     * The sample names one scrape has shown. Registration keeps apart the collectors whose names it
     * knows; this catches those whose names show only at scrape time, which would otherwise render a second HELP
     * for one name, which the parsers reject.
     */
    private final class Scrape {
        private final Set<String> names = new HashSet<>();

        /** Whether the family may be shown: it clashes with no earlier one. Throws if it is null. */
        boolean admits(Collector collector, MetricFamily family) {
            if (family == null) {
                throw new IllegalStateException("collector " + describe(collector) + " returned a null metric family");
            }
            // The rule of registration: no sample name twice.
            String clash = null;
            for (String name : family.sampleNames()) {
                if (clash == null && names.contains(name)) {
                    clash = name;
                }
            }
            if (clash != null) {
                if (clashesReported.add(clash)) {
                    LOGGER.log(System.Logger.Level.WARNING, "Collector " + describe(collector) + " shows " + clash
                            + ", which an earlier collector already shows; it is left out of every scrape that has"
                            + " both (logged once)");
                }
                return false;
            }
            names.addAll(family.sampleNames());
            return true;
        }
    }

    /**
     * The value of one sample, or null if there is none; meant for tests.
     *
     * <pre>{@code
     * Double v = registry.getSampleValue("requests_total", new String[] {"path", "status"}, new String[] {"/", "200"});
     * }</pre>
     */
    public Double getSampleValue(String sampleName, String[] labelNames, String[] labelValues) {
        for (MetricFamily family : filteredBy(List.of(sampleName)).collect()) {
            for (Sample sample : family.samples()) {
                if (sample.name().equals(sampleName) && hasExactly(sample, labelNames, labelValues)) {
                    return sample.value();
                }
            }
        }
        return null;
    }

    /** The value of a sample without labels, or null. */
    public Double getSampleValue(String sampleName) {
        return getSampleValue(sampleName, new String[0], new String[0]);
    }

    private static boolean hasExactly(Sample sample, String[] names, String[] values) {
        if (sample.labels().size() != names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (!values[i].equals(sample.labels().get(names[i]))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sampleNames(Collector collector) {
        List<String> names = new ArrayList<>();
        for (MetricFamily family : collector.collect()) {
            for (String name : family.sampleNames()) {
                if (names.contains(name)) {
                    throw new IllegalArgumentException("collector " + describe(collector)
                            + " exposes the sample name " + name + " twice");
                }
                names.add(name);
            }
        }
        return names;
    }

    /** A metric's name, or what a custom collector says of itself. */
    private static String describe(Collector collector) {
        return collector.toString();
    }

    @Override
    public String toString() {
        return "CollectorRegistry" + Arrays.toString(registrations.stream().map(r -> describe(r.collector)).toArray());
    }
}
