package io.promlet.jaxrs;

import java.util.regex.Pattern;

/**
 * A JAX-RS {@code @Path} template, as the {@code path} label shows it and as the runtime matches it. A parameter is
 * {@code {name}} or {@code {name: regex}}, blanks allowed around both, and the regex may itself hold braces
 * ({@code {code: [a-z]{2}}}).
 */
final class PathTemplate {

    private PathTemplate() {
    }

    /**
     * The template as declared, without parameter regexes and the blanks around names, and without leading or
     * trailing slashes: {@code /{id: [0-9]+}/lines/} is {@code {id}/lines}.
     */
    static String label(String template) {
        String trimmed = trimSlashes(template);
        if (trimmed.indexOf('{') < 0) {
            return trimmed;
        }
        StringBuilder label = new StringBuilder(trimmed.length());
        int i = 0;
        while (i < trimmed.length()) {
            char c = trimmed.charAt(i);
            int end = c == '{' ? parameterEnd(trimmed, i) : -1;
            if (end < 0) {
                label.append(c);
                i++;
                continue;
            }
            label.append('{').append(parameterName(trimmed, i, end)).append('}');
            i = end + 1;
        }
        return label.toString();
    }

    /**
     * Joins templates as JAX-RS nests them, one slash between each two, ignoring the slashes they begin or end with and
     * the empty ones: {@code "/orders/"}, {@code ""}, {@code "{id}"} is {@code orders/{id}}.
     */
    static String join(String... templates) {
        StringBuilder joined = new StringBuilder();
        for (String template : templates) {
            String part = trimSlashes(template);
            if (part.isEmpty()) {
                continue;
            }
            if (joined.length() > 0) {
                joined.append('/');
            }
            joined.append(part);
        }
        return joined.toString();
    }

    /**
     * The request paths (relative to the application, without a leading slash) that {@code template} (joined, as
     * {@link #join} gives it) matches: a parameter matches its regex, or one non-empty segment; a trailing slash is
     * allowed, as JAX-RS allows it.
     */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        int i = 0;
        while (i < template.length()) {
            int end = template.charAt(i) == '{' ? parameterEnd(template, i) : -1;
            if (end < 0) {
                i++;
                continue;
            }
            appendLiteral(regex, template, literalStart, i);
            int colon = template.indexOf(':', i);
            String parameterRegex = colon > 0 && colon < end ? template.substring(colon + 1, end).trim() : "";
            regex.append('(').append(parameterRegex.isEmpty() ? "[^/]+" : parameterRegex).append(')');
            i = end + 1;
            literalStart = i;
        }
        appendLiteral(regex, template, literalStart, template.length());
        return Pattern.compile(regex.append("/?").toString());
    }

    private static void appendLiteral(StringBuilder regex, String template, int from, int to) {
        if (from < to) {
            regex.append(Pattern.quote(template.substring(from, to)));
        }
    }

    /** The index of the brace that closes the parameter opened at {@code open}, or -1 if none does. */
    private static int parameterEnd(String template, int open) {
        int depth = 0;
        for (int i = open; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String parameterName(String template, int open, int end) {
        int colon = template.indexOf(':', open);
        return template.substring(open + 1, colon > 0 && colon < end ? colon : end).trim();
    }

    private static String trimSlashes(String template) {
        int from = 0;
        int to = template.length();
        while (from < to && template.charAt(from) == '/') {
            from++;
        }
        while (to > from && template.charAt(to - 1) == '/') {
            to--;
        }
        return template.substring(from, to);
    }
}
