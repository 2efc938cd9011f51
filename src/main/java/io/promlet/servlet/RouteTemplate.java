package io.promlet.servlet;

/**
 * One route template such as {@code /users/{id}/orders} or {@code /static/**}, compiled once. A segment is a
 * literal, {@code {name}} (exactly one non-empty segment) or, as the last segment only, {@code **} (the rest
 * of the path, possibly nothing). {@code /} matches only the context root. Matching is case-sensitive and
 * strict about slashes: {@code /users/{id}} matches {@code /users/7} but neither {@code /users/7/} nor
 * {@code /users}.
 *
 * <p>The path is matched as the concatenation of the servlet path and the path info, which the container
 * has already decoded and freed of path parameters such as {@code ;jsessionid=...}; matching reads the two
 * strings in place and allocates nothing.
 */
final class RouteTemplate {
    private static final byte END = 0;
    private static final byte LITERAL = 1;
    private static final byte VARIABLE = 2;
    private static final byte REST = 3;

    private final String text;
    private final byte[] kinds;
    private final String[] literals;

    private RouteTemplate(String text, byte[] kinds, String[] literals) {
        this.text = text;
        this.kinds = kinds;
        this.literals = literals;
    }

    /**
     * Compiles a template.
     *
     * @param source where the template comes from, for error messages, such as {@code path-patterns}
     * @throws IllegalArgumentException naming the source and the template if it is malformed
     */
    static RouteTemplate compile(String source, String text) {
        if (!text.startsWith("/")) {
            throw invalid(source, text, "it must start with /");
        }
        if (text.equals("/")) {
            return new RouteTemplate(text, new byte[0], new String[0]);
        }
        String[] segments = text.substring(1).split("/", -1);
        byte[] kinds = new byte[segments.length];
        String[] literals = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                throw invalid(source, text, "it has an empty segment");
            } else if (segment.equals("**")) {
                if (i != segments.length - 1) {
                    throw invalid(source, text, "** may only be the last segment");
                }
                kinds[i] = REST;
            } else if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2
                    && segment.indexOf('{', 1) < 0 && segment.indexOf('}') == segment.length() - 1) {
                kinds[i] = VARIABLE;
            } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0 || segment.indexOf('*') >= 0) {
                throw invalid(source, text, "segment \"" + segment + "\" must be a literal, {name} or **");
            } else {
                kinds[i] = LITERAL;
                literals[i] = segment;
            }
        }
        return new RouteTemplate(text, kinds, literals);
    }

    private static IllegalArgumentException invalid(String source, String text, String why) {
        return new IllegalArgumentException(source + ": invalid route template \"" + text + "\": " + why);
    }

    /** The template as written; the value of the {@code path} label. */
    String text() {
        return text;
    }

    /** True if the path {@code head + tail} (tail may be null) matches. */
    boolean matches(String head, String tail) {
        int length = head.length() + (tail == null ? 0 : tail.length());
        if (length == 0 || charAt(head, tail, 0) != '/') {
            // The context root arrives as an empty servlet path with no path info on some containers.
            return length == 0 && kinds.length == 0;
        }
        int pos = length == 1 ? -1 : 1;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == REST) {
                return true;
            }
            if (pos < 0) {
                return false;
            }
            int end = pos;
            while (end < length && charAt(head, tail, end) != '/') {
                end++;
            }
            if (kinds[i] == LITERAL ? !regionEquals(head, tail, pos, end, literals[i]) : end == pos) {
                return false;
            }
            pos = end < length ? end + 1 : -1;
        }
        return pos < 0;
    }

    private static boolean regionEquals(String head, String tail, int start, int end, String literal) {
        if (end - start != literal.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (charAt(head, tail, start + i) != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char charAt(String head, String tail, int i) {
        return i < head.length() ? head.charAt(i) : tail.charAt(i - head.length());
    }

    /**
     * Most specific first: segment by segment, the end of a template comes before a literal, a literal before
     * {@code {name}}, and {@code {name}} before {@code **}. Two templates that match the same path thus sort
     * the more specific one first; equal shapes keep their declaration order (the sort is stable).
     */
    int compareSpecificity(RouteTemplate other) {
        int n = Math.max(kinds.length, other.kinds.length);
        for (int i = 0; i < n; i++) {
            byte a = i < kinds.length ? kinds[i] : END;
            byte b = i < other.kinds.length ? other.kinds[i] : END;
            if (a != b) {
                return Byte.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
