package io.promlet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The elements of an {@code Accept} or {@code Accept-Encoding} header: {@code text/plain;version=0.0.4;q=0.5, ...}.
 * Parsing is lenient: an element that cannot be read (such as one with a bad q-value) is left out, never an error.
 * Shared by the formats' negotiation ({@code Accept}) and the scrape's choice of gzip ({@code Accept-Encoding}).
 */
public final class AcceptHeader {
    /** One element of the list. */
    public static final class Element {
        /** The media range or content coding, in lower case, such as {@code text/plain} or {@code gzip}. */
        public final String value;
        /** The {@code version} parameter, or null. */
        public final String version;
        /** The q-value, 1 when absent; 0 means "not acceptable". */
        public final double quality;
        /** The element's index in the header, for breaking ties in favour of the first. */
        public final int position;
        /** The other parameters, alternating lower-case names and values. */
        private final List<String> parameters;

        Element(String value, String version, double quality, int position, List<String> parameters) {
            this.value = value;
            this.version = version;
            this.quality = quality;
            this.position = position;
            this.parameters = parameters;
        }

        /**
         * The value of another parameter, such as {@code proto} or {@code encoding}, or null.
         *
         * @param name the parameter's name in lower case
         */
        public String parameter(String name) {
            for (int i = 0; i < parameters.size(); i += 2) {
                if (parameters.get(i).equals(name)) {
                    return parameters.get(i + 1);
                }
            }
            return null;
        }
    }

    private AcceptHeader() {
    }

    /** The readable elements of the header, in order; empty for null. */
    public static List<Element> parse(String header) {
        List<Element> elements = new ArrayList<>();
        if (header == null) {
            return elements;
        }
        List<String> parts = split(header, ',');
        for (int i = 0; i < parts.size(); i++) {
            Element element = element(parts.get(i), i);
            if (element != null) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static Element element(String text, int position) {
        List<String> parts = split(text, ';');
        String value = parts.get(0).trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return null;
        }
        String version = null;
        double quality = 1;
        List<String> parameters = new ArrayList<>(2);
        for (int i = 1; i < parts.size(); i++) {
            String parameter = parts.get(i);
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = parameter.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String parameterValue = unquote(parameter.substring(eq + 1).trim());
            if (name.equals("q")) {
                quality = quality(parameterValue);
                if (Double.isNaN(quality)) {
                    return null;
                }
            } else if (name.equals("version")) {
                version = parameterValue;
            } else {
                parameters.add(name);
                parameters.add(parameterValue);
            }
        }
        return new Element(value, version, quality, position, parameters);
    }

    /** The q-value, {@code 0} to {@code 1} with up to three decimals, or NaN if it is not one. */
    private static double quality(String text) {
        if (text.isEmpty() || text.length() > 5 || !(text.charAt(0) == '0' || text.charAt(0) == '1')) {
            return Double.NaN;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (i == 1 ? c != '.' : c < '0' || c > '9') {
                return Double.NaN;
            }
        }
        double q = Double.parseDouble(text);
        return q <= 1 ? q : Double.NaN;
    }

    private static String unquote(String text) {
        if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() - 1) {
                c = text.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Splits at the separator where it is not inside a quoted string. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
