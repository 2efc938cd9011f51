package io.promlet.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the sample lines of a text-format exposition, as served by the Pushgateway or node_exporter. */
public final class ExpositionLines {
    /** One sample line. */
    public record Line(String name, Map<String, String> labels, double value) {
    }

    private final List<Line> lines;

    private ExpositionLines(List<Line> lines) {
        this.lines = lines;
    }

    /** Parses every sample line; comments and blank lines are skipped. */
    public static ExpositionLines parse(String text) {
        List<Line> lines = new ArrayList<>();
        for (String raw : text.split("\n")) {
            if (raw.isBlank() || raw.startsWith("#")) {
                continue;
            }
            lines.add(parseLine(raw));
        }
        return new ExpositionLines(lines);
    }

    /** The value of the sample with this name whose labels include all of these (empty values match absent labels). */
    public Optional<Double> value(String name, Map<String, String> labels) {
        return find(name, labels).map(Line::value);
    }

    /** The sample with this name whose labels include all of these (empty values match absent labels). */
    public Optional<Line> find(String name, Map<String, String> labels) {
        return lines.stream().filter(l -> l.name().equals(name) && matches(l.labels(), labels)).findFirst();
    }

    /** Every sample line. */
    public List<Line> all() {
        return lines;
    }

    private static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(actual.getOrDefault(e.getKey(), "")));
    }

    private static Line parseLine(String raw) {
        int i = 0;
        while (i < raw.length() && raw.charAt(i) != '{' && raw.charAt(i) != ' ') {
            i++;
        }
        String name = raw.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < raw.length() && raw.charAt(i) == '{') {
            i++;
            while (raw.charAt(i) != '}') {
                int eq = raw.indexOf('=', i);
                String label = raw.substring(i, eq).trim();
                i = eq + 2;
                StringBuilder value = new StringBuilder();
                while (raw.charAt(i) != '"') {
                    char c = raw.charAt(i++);
                    if (c == '\\') {
                        char n = raw.charAt(i++);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i++;
                if (raw.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = raw.substring(i).trim().split("\\s+");
        return new Line(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
