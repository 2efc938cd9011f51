package io.promlet.servlet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the init-params of a filter or servlet. Lists are separated by commas and/or whitespace, so they
 * can be spread over lines in {@code web.xml}. A malformed value is an IllegalArgumentException naming the
 * parameter and the value.
 */
final class InitParameters {
    private static final System.Logger LOG = System.getLogger(InitParameters.class.getName());

    private final Function<String, String> lookup;

    InitParameters(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Logs a warning for each parameter name not in {@code known}, since a typo would silently change nothing. */
    static void warnUnknown(String owner, Enumeration<String> names, Set<String> known) {
        for (String name : Collections.list(names)) {
            if (!known.contains(name)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: unknown init-param \"{1}\" is ignored; known are {2}",
                        owner, name, known.stream().sorted().collect(Collectors.toList()));
            }
        }
    }

    /** The trimmed value, or null if the parameter is absent. */
    String string(String name) {
        String value = lookup.apply(name);
        return value == null ? null : value.trim();
    }

    /** The items of a list, empty if the value is blank, or null if the parameter is absent. */
    List<String> list(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** The numbers of a list, or null if the parameter is absent. */
    double[] numbers(String name) {
        List<String> items = list(name);
        if (items == null) {
            return null;
        }
        double[] numbers = new double[items.size()];
        for (int i = 0; i < numbers.length; i++) {
            try {
                numbers[i] = Double.parseDouble(items.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("init-param " + name + ": \"" + items.get(i) + "\" is not a number in "
                        + Arrays.toString(items.toArray()), e);
            }
        }
        return numbers;
    }

    /** The integer value, or null if the parameter is absent. */
    Integer integer(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("init-param " + name + ": \"" + value + "\" is not an integer", e);
        }
    }

    /** {@code true} or {@code false} (any case), or null if the parameter is absent. */
    Boolean bool(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.valueOf(value);
        }
        throw new IllegalArgumentException("init-param " + name + ": \"" + value + "\" is neither true nor false");
    }
}
