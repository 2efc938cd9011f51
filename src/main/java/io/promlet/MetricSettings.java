package io.promlet;

import io.promlet.internal.SettingSyntax;

import java.util.function.Function;

/**
 * The settings {@code promlet.metric.<name>.<key>} of one metric, from the source its registry carries
 * ({@link CollectorRegistry#setMetricSettings}); each is used only where the code left the value unset.
 */
final class MetricSettings {
    private final String metric;
    private final Function<String, String> source;

    /** @param source the registry's lookup by full key, or null for none */
    MetricSettings(String metric, Function<String, String> source) {
        this.metric = metric;
        this.source = source;
    }

    double[] numbers(String key, double[] otherwise) {
        return parsed(key, SettingSyntax::numbers, otherwise);
    }

    Boolean bool(String key) {
        return parsed(key, SettingSyntax::bool, null);
    }

    int integer(String key, long otherwise) {
        return parsed(key, SettingSyntax::integer, Math.toIntExact(otherwise));
    }

    double number(String key, double otherwise) {
        return parsed(key, SettingSyntax::number, otherwise);
    }

    private <T> T parsed(String key, Function<String, T> syntax, T otherwise) {
        String name = "promlet.metric." + metric + "." + key;
        String value = source == null ? null : source.apply(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return syntax.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metric " + metric + ": setting " + name + ": " + e.getMessage(), e);
        }
    }
}
