package io.promlet.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of a setting's value, the same in every source (init-param, context-param, system property, environment
 * variable, properties file): lists separated by commas and/or whitespace, so they can be spread over lines in
 * {@code web.xml}; numbers as {@link Double#parseDouble}; integers; {@code true} or {@code false} in any case. A
 * malformed value is an IllegalArgumentException quoting it; the caller adds which setting and source it came from.
 */
public final class SettingSyntax {
    private SettingSyntax() {
    }

    /** The items of a list, empty if the value is blank. */
    public static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.trim().split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** The numbers of a list. */
    public static double[] numbers(String value) {
        List<String> items = list(value);
        double[] numbers = new double[items.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = number(items.get(i));
        }
        return numbers;
    }

    /** One number. */
    public static double number(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value.trim() + "\" is not a number", e);
        }
    }

    /** One integer. */
    public static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value.trim() + "\" is not an integer", e);
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public static boolean bool(String value) {
        String text = value.trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("\"" + text + "\" is neither true nor false");
    }
}
