package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.internal.SettingSyntax;
import jakarta.servlet.ServletContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The settings of promlet in one web application: the list of known keys, and where a value comes from. A setting has
 * one name, {@code promlet.<key>}; the sources, first wins, are the filter's or servlet's init-param {@code <key>}, the
 * context-param {@code promlet.<key>}, the system property {@code promlet.<key>}, the environment variable
 * {@code PROMLET_<KEY>} (upper case, {@code .} and {@code -} as {@code _}), and the key {@code promlet.<key>} of a
 * properties file: the one named by the system property {@code promlet.config} or the environment variable
 * {@code PROMLET_CONFIG}, else {@code promlet.properties} on the application's class path. Per-metric settings
 * {@code promlet.metric.<name>.<key>} reach the application's own metrics through the registry
 * ({@link CollectorRegistry#setMetricSettings}).
 *
 * <p>A {@code promlet.} name that is no known key gets one warning naming the closest known key, since a typo would
 * silently change nothing; a malformed value is an IllegalArgumentException naming the setting, the source and the
 * value.
 */
final class Settings {
    /** The keys of {@link MetricsFilter}, its init-param names. */
    static final List<String> FILTER_KEYS = List.of("registry", "path-patterns", "route-attribute", "path-components",
            "max-paths", "exclude-paths", "count-scrapes", "quantiles", "buckets", "native-histogram", "response-size",
            "requests-metric", "duration-metric", "in-progress-metric", "response-size-metric", "exemplars");
    /** The keys of {@link MetricsServlet}, its init-param names; {@code registry} means the same as the filter's. */
    static final List<String> SERVLET_KEYS = List.of("registry", "allowed-addresses", "jvm-metrics");
    /** The keys of the whole application, which no init-param has. */
    static final List<String> APPLICATION_KEYS = List.of("auto-register", "config");
    /** The keys of {@code promlet.metric.<name>.<key>} and the syntax of each, checked when the application starts. */
    static final Map<String, Function<String, ?>> METRIC_KEYS = metricKeys();

    private static final String PREFIX = "promlet.";
    private static final String METRIC_PREFIX = PREFIX + "metric.";
    private static final String CONFIG = PREFIX + "config";
    private static final String CONTEXT_ATTRIBUTE = Settings.class.getName();
    private static final String PROPERTIES_FILE = "promlet.properties";
    private static final System.Logger LOG = System.getLogger(Settings.class.getName());

    private static Map<String, Function<String, ?>> metricKeys() {
        Map<String, Function<String, ?>> keys = new LinkedHashMap<>();
        keys.put("buckets", SettingSyntax::numbers);
        keys.put("native-histogram", SettingSyntax::bool);
        keys.put("native-initial-schema", SettingSyntax::integer);
        keys.put("native-max-number-of-buckets", SettingSyntax::integer);
        keys.put("native-min-zero-threshold", SettingSyntax::number);
        keys.put("native-reset-duration-seconds", SettingSyntax::integer);
        keys.put("quantiles", SettingSyntax::numbers);
        keys.put("exemplars", SettingSyntax::bool);
        return Collections.unmodifiableMap(keys);
    }

    /** The system properties, environment variables and class path a web application sees; replaced in tests. */
    static final class Environment {
        final Map<String, String> systemProperties;
        final Map<String, String> variables;
        final ClassLoader classLoader;

        Environment(Map<String, String> systemProperties, Map<String, String> variables, ClassLoader classLoader) {
            this.systemProperties = systemProperties;
            this.variables = variables;
            this.classLoader = classLoader;
        }

        /** This JVM's, and the class loader of promlet itself: in {@code WEB-INF/lib}, the application's. */
        static Environment system() {
            Properties properties = System.getProperties();
            Map<String, String> copy = new LinkedHashMap<>();
            for (String name : properties.stringPropertyNames()) {
                copy.put(name, properties.getProperty(name));
            }
            return new Environment(copy, System.getenv(), Settings.class.getClassLoader());
        }
    }

    /** One source of values, keyed by its own names. */
    private static final class Source {
        final String kind;
        final Map<String, String> values;
        /** From {@code promlet.<key>} to the name in this source. */
        final UnaryOperator<String> naming;

        Source(String kind, Map<String, String> values, UnaryOperator<String> naming) {
            this.kind = kind;
            this.values = values;
            this.naming = naming;
        }

        String value(String canonical) {
            String name = naming.apply(canonical);
            return name == null ? null : values.get(name);
        }
    }

    private final List<Source> sources;

    private Settings(List<Source> sources) {
        this.sources = sources;
    }

    /**
     * The settings of a web application (no init-params), read and checked once and kept in a context attribute; the
     * first reading warns of unknown keys and gives the default registry the per-metric settings, if there are any.
     *
     * @throws IllegalArgumentException if a value is malformed or the properties file cannot be read
     */
    static Settings of(ServletContext context) {
        Object kept = context.getAttribute(CONTEXT_ATTRIBUTE);
        if (kept instanceof Settings) {
            return (Settings) kept;
        }
        Map<String, String> contextParams = new LinkedHashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(PREFIX)) {
                contextParams.put(name, context.getInitParameter(name));
            }
        }
        Settings settings = of(contextParams, Environment.system());
        if (settings.hasMetricSettings()) {
            CollectorRegistry.defaultRegistry().setMetricSettings(settings.metricSettings());
        }
        context.setAttribute(CONTEXT_ATTRIBUTE, settings);
        return settings;
    }

    /**
     * The settings from these context-params and this environment: checked, with a warning for each unknown key.
     *
     * @throws IllegalArgumentException if a value is malformed or the properties file cannot be read
     */
    static Settings of(Map<String, String> contextParams, Environment environment) {
        List<Source> sources = new ArrayList<>();
        sources.add(new Source("context-param", contextParams, UnaryOperator.identity()));
        sources.add(new Source("system property", environment.systemProperties, UnaryOperator.identity()));
        sources.add(new Source("environment variable", environment.variables, Settings::variableName));
        Settings before = new Settings(List.copyOf(sources));
        sources.add(before.propertiesFile(environment.classLoader));
        Settings settings = new Settings(List.copyOf(sources));
        settings.check();
        return settings;
    }

    /**
     * These settings with a filter's or servlet's init-params first; an init-param not in {@code known} is logged.
     */
    Settings withInitParams(String owner, Enumeration<String> names, UnaryOperator<String> values, List<String> known) {
        Map<String, String> initParams = new LinkedHashMap<>();
        for (String name : Collections.list(names)) {
            initParams.put(name, values.apply(name));
        }
        for (String name : initParams.keySet()) {
            if (!known.contains(name)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: unknown init-param \"{1}\" is ignored{2}; known are {3}",
                        owner, name, closest(name, known), new TreeSet<>(known));
            }
        }
        List<Source> all = new ArrayList<>();
        all.add(new Source("init-param", initParams,
                canonical -> canonical.startsWith(PREFIX) ? canonical.substring(PREFIX.length()) : null));
        all.addAll(sources);
        return new Settings(List.copyOf(all));
    }

    /** The environment variable of {@code promlet.<key>}: {@code PROMLET_<KEY>}. */
    static String variableName(String canonical) {
        return canonical.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The trimmed value of {@code promlet.<key>}, or null if no source has it. */
    String string(String key) {
        return parsed(key, String::trim);
    }

    /** The items of a list, empty if the value is blank, or null if no source has it. */
    List<String> list(String key) {
        return parsed(key, SettingSyntax::list);
    }

    /** The numbers of a list, or null if no source has it. */
    double[] numbers(String key) {
        return parsed(key, SettingSyntax::numbers);
    }

    /** The integer, or null if no source has it. */
    Integer integer(String key) {
        return parsed(key, SettingSyntax::integer);
    }

    /** {@code true} or {@code false} (any case), or null if no source has it. */
    Boolean bool(String key) {
        return parsed(key, SettingSyntax::bool);
    }

    /**
     * The value of {@code promlet.<key>} from the first source that has it, read by {@code syntax}; null if none has it.
     *
     * @throws IllegalArgumentException naming the setting, the source and the value if {@code syntax} rejects it
     */
    <T> T parsed(String key, Function<String, T> syntax) {
        String canonical = PREFIX + key;
        for (Source source : sources) {
            String value = source.value(canonical);
            if (value != null) {
                return parsedFrom(source, canonical, value, syntax);
            }
        }
        return null;
    }

    private static <T> T parsedFrom(Source source, String canonical, String value, Function<String, T> syntax) {
        try {
            return syntax.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + canonical + " from " + source.kind + " "
                    + source.naming.apply(canonical) + "=\"" + value + "\": " + e.getMessage(), e);
        }
    }

    /** The per-metric settings: a lookup of {@code promlet.metric.<name>.<key>} in the sources other than init-params. */
    Function<String, String> metricSettings() {
        return canonical -> {
            for (Source source : sources) {
                String value = source.value(canonical);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
    }

    private boolean hasMetricSettings() {
        return sources.stream().anyMatch(s -> s.values.keySet().stream().anyMatch(name -> metricKey(s, name) != null));
    }

    /** The file of {@code promlet.config}, else {@code promlet.properties} on the class path; its {@code promlet.} keys. */
    private Source propertiesFile(ClassLoader classLoader) {
        Properties properties = new Properties();
        String path = string("config");
        String kind;
        if (path != null) {
            kind = "file " + path;
            try (Reader in = Files.newBufferedReader(Path.of(path), StandardCharsets.ISO_8859_1)) {
                properties.load(in);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("setting " + CONFIG + "=\"" + path + "\": cannot read the file: " + e, e);
            }
        } else {
            URL resource = classLoader == null ? null : classLoader.getResource(PROPERTIES_FILE);
            kind = PROPERTIES_FILE + " at " + resource;
            if (resource != null) {
                try (InputStream in = resource.openStream()) {
                    properties.load(in);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + resource + ": " + e, e);
                }
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return new Source(kind, values, UnaryOperator.identity());
    }

    /** Checks every per-metric value, and warns once of each unknown {@code promlet.} name. */
    private void check() {
        for (Source source : sources) {
            for (Map.Entry<String, String> entry : source.values.entrySet()) {
                String name = entry.getKey();
                if (!isOurs(source, name)) {
                    continue;
                }
                String metricKey = metricKey(source, name);
                if (metricKey != null) {
                    parsedFrom(source, name, entry.getValue(), METRIC_KEYS.get(metricKey));
                } else if (!knownNames(source).contains(name)) {
                    LOG.log(System.Logger.Level.WARNING, "unknown setting {0} ({1}) is ignored{2}", name, source.kind,
                            closest(name, candidates(source, name)));
                }
            }
        }
    }

    private static boolean isOurs(Source source, String name) {
        return name.startsWith(source.naming.apply(PREFIX));
    }

    /** The key of a per-metric setting's name in this source, such as {@code buckets}; null for other names. */
    private static String metricKey(Source source, String name) {
        String prefix = source.naming.apply(METRIC_PREFIX);
        if (prefix == null || !name.startsWith(prefix)) {
            return null;
        }
        // The longest key that fits: in an environment variable _BUCKETS also ends _NATIVE_MAX_NUMBER_OF_BUCKETS.
        String found = null;
        for (String key : METRIC_KEYS.keySet()) {
            String suffix = source.naming.apply("." + key);
            if (name.endsWith(suffix) && name.length() > prefix.length() + suffix.length()
                    && (found == null || key.length() > found.length())) {
                found = key;
            }
        }
        return found;
    }

    /** Every known name in this source: the application's, filter's and servlet's keys, and metric keys' patterns. */
    private static List<String> knownNames(Source source) {
        return Stream.of(APPLICATION_KEYS, FILTER_KEYS, SERVLET_KEYS).flatMap(List::stream).distinct()
                .map(key -> source.naming.apply(PREFIX + key)).collect(Collectors.toList());
    }

    /** The names a mistyped one may have meant: for a per-metric name, that metric's keys; else every known name. */
    private static List<String> candidates(Source source, String name) {
        String separator = source.naming.apply(".");
        int last = name.lastIndexOf(separator);
        if (!name.startsWith(source.naming.apply(METRIC_PREFIX)) || last < 0) {
            return knownNames(source);
        }
        return METRIC_KEYS.keySet().stream().map(key -> name.substring(0, last) + source.naming.apply("." + key))
                .collect(Collectors.toList());
    }

    /** "; did you mean x?" with the known name closest to {@code name} by edit distance, or nothing if none is near. */
    private static String closest(String name, List<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> editDistance(name, k)))
                .filter(k -> editDistance(name, k) <= Math.max(3, name.length() / 3))
                .map(k -> "; did you mean " + k + "?").orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
