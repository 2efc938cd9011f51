package io.promlet.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects: every identifier left once string literals, label matchers, range
 * durations and the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring} and
 * {@code group_left/right} are taken out, that is neither a function or aggregation (followed by a parenthesis) nor
 * a keyword.
 */
public final class PromQlNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "Inf", "NaN");

    private PromQlNames() {
    }

    /** The metric names {@code promql} selects, sorted. */
    public static Set<String> of(String promql) {
        String rest = STRING.matcher(promql).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll("{}");
        rest = RANGE.matcher(rest).replaceAll("[]");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            // A number's exponent or a duration's unit is part of a token that starts with a digit.
            int start = identifier.start();
            boolean partOfNumber = start > 0 && (Character.isDigit(rest.charAt(start - 1)) || rest.charAt(start - 1) == '.');
            if (!partOfNumber && !KEYWORDS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }
}
