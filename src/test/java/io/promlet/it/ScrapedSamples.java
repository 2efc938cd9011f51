package io.promlet.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a scrape in the Prometheus text format or OpenMetrics, read independently of promlet's own writers:
 * name, labels and value of each sample line; comments, timestamps and exemplars are skipped.
 */
final class ScrapedSamples {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private ScrapedSamples(List<Sample> samples) {
        this.samples = samples;
    }

    /** Reads every sample line of {@code exposition}; fails on a line that is not a valid sample. */
    static ScrapedSamples parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(new LineReader(line).sample());
            }
        }
        return new ScrapedSamples(samples);
    }

    private List<Sample> named(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The samples called {@code name}, each as its labels mapped to its value. */
    Map<Map<String, String>, Double> valuesByLabels(String name) {
        Map<Map<String, String>, Double> values = new LinkedHashMap<>();
        for (Sample sample : named(name)) {
            if (values.put(sample.labels(), sample.value()) != null) {
                throw new AssertionError("duplicate sample " + name + sample.labels());
            }
        }
        return values;
    }

    /** Sum of the samples called {@code name}. */
    double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    /** Reads {@code name{label="value",...} value [timestamp] [# exemplar]}. */
    private static final class LineReader {
        private final String line;
        private int position;

        LineReader(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = until(" {");
            Map<String, String> labels = new LinkedHashMap<>();
            if (peek() == '{') {
                position++;
                while (peek() != '}') {
                    String label = until("=");
                    expect('=');
                    expect('"');
                    labels.put(label, quoted());
                    if (peek() == ',') {
                        position++;
                    }
                }
                position++;
            }
            expect(' ');
            String value = until(" ");
            return new Sample(name, Map.copyOf(labels), number(value));
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            for (char c = next(); c != '"'; c = next()) {
                if (c == '\\') {
                    char escaped = next();
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case '\\', '"' -> escaped;
                        default -> throw invalid("escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
            return value.toString();
        }

        private double number(String text) {
            return switch (text) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> {
                    try {
                        yield Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw invalid("value " + text);
                    }
                }
            };
        }

        private String until(String stops) {
            int start = position;
            while (position < line.length() && stops.indexOf(line.charAt(position)) < 0) {
                position++;
            }
            if (position == start) {
                throw invalid("empty token");
            }
            return line.substring(start, position);
        }

        private char peek() {
            if (position >= line.length()) {
                throw invalid("unexpected end");
            }
            return line.charAt(position);
        }

        private char next() {
            char c = peek();
            position++;
            return c;
        }

        private void expect(char expected) {
            if (next() != expected) {
                throw invalid("expected '" + expected + "' at " + (position - 1));
            }
        }

        private AssertionError invalid(String problem) {
            return new AssertionError("not a sample line (" + problem + "): " + line);
        }
    }
}
