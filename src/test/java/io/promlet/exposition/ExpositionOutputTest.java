package io.promlet.exposition;

import io.promlet.model.FloatFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ExpositionOutputTest {
    private interface Writing {
        void to(ExpositionOutput out) throws IOException;
    }

    private static String written(Writing writing) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ExpositionOutput out = new ExpositionOutput(bytes);
        writing.to(out);
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String value(double v) throws IOException {
        return written(out -> out.value(v));
    }

    @Test
    void valuesInTheirExpositionForm() throws IOException {
        assertEquals("+Inf", value(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", value(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", value(Double.NaN));
        assertEquals("0.0", value(0));
        assertEquals("0.0", value(-0.0));
        assertEquals("1.0", value(1));
        assertEquals("-17.0", value(-17));
        assertEquals("999999999999999.0", value(999999999999999.0));
        assertEquals("1.0e+15", value(1e15));
        assertEquals("1.0e+20", value(1e20));
        assertEquals("-1.5e+300", value(-1.5e300));
        assertEquals("0.001", value(0.001));
        assertEquals("1.0e-4", value(0.0001));
        assertEquals("4.9e-324", value(Double.MIN_VALUE));
        assertEquals("0.005", value(0.005));
        assertEquals("0.1", value(0.1));
        assertEquals("-0.25", value(-0.25));
        assertEquals("0.30000000000000004", value(0.1 + 0.2));
        assertEquals("1700000000.123", value(1700000000.123));
        assertEquals("1700000000.1234567", value(1700000000.1234567));
        assertEquals("12345678.9", value(12345678.9));
        assertEquals("-12345678.25", value(-12345678.25));
        assertEquals("0.0625", value(0.0625));
        assertEquals("1.7976931348623157e+308", value(Double.MAX_VALUE));
    }

    @Test
    void repeatCopiesWhatIsStillBufferedAndRefusesWhatIsNot() throws IOException {
        StringBuilder expected = new StringBuilder();
        String written = written(out -> {
            for (int i = 0; i < 2000; i++) {
                long from = out.written();
                out.quoted("value-" + i + "-\u00e9");
                long to = out.written();
                expected.append("value-").append(i).append("-\u00e9");
                for (int copies = 0; copies < 3; copies++) {
                    out.ascii('|');
                    expected.append('|');
                    if (!out.repeat(from, to)) {
                        // Drained, or no room behind it: the caller encodes it again.
                        out.quoted("value-" + i + "-\u00e9");
                    }
                    expected.append("value-").append(i).append("-\u00e9");
                }
                out.ascii('\n');
                expected.append('\n');
            }
        });
        assertEquals(expected.toString(), written);
        assertFalse(written(out -> {
            long from = out.written();
            out.ascii("x".repeat(10_000));
            if (out.repeat(from, out.written())) {
                out.ascii("repeated");
            }
        }).endsWith("repeated"));
    }

    @Test
    void everyValueReadsBackExactly() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        double[] values = new double[40_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-5, 17));
                case 2 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(0, 8));
                default -> -random.nextInt(1_000_000) / 1000.0;
            };
        }
        String[] lines = values(values);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            String s = lines[i];
            double back = Double.parseDouble(s.replace("Inf", "Infinity"));
            assertEquals(Double.doubleToLongBits(v == 0 ? 0.0 : v), Double.doubleToLongBits(back), s + " for " + v);
            assertEquals(s.contains("e"), !Double.isNaN(v) && !Double.isInfinite(v) && v != 0
                    && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e15), s);
        }
    }

    @Test
    void agreesWithFloatFormatWhereBothUsePlainDecimals() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e-3 + Math.round(random.nextDouble() * 1e7) / Math.pow(10, random.nextInt(1, 5));
        }
        String[] lines = values(values);
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1e7) {
                assertEquals(FloatFormat.format(values[i]), lines[i]);
            }
        }
    }

    private static String[] values(double[] values) throws IOException {
        return written(out -> {
            for (double v : values) {
                out.value(v);
                out.ascii('\n');
            }
        }).split("\n");
    }

    @Test
    void countsAreWrittenAsFloats() throws IOException {
        assertEquals("0.0 9223372036854775807.0 -9223372036854775808.0", written(out -> {
            out.count(0);
            out.ascii(' ');
            out.count(Long.MAX_VALUE);
            out.ascii(' ');
            out.count(Long.MIN_VALUE);
        }));
    }

    @Test
    void stringsAreUtf8WithTheFormatsEscapes() throws IOException {
        String s = "a\\b\"c\nd \u00e9 \u2713 \ud83d\ude00 \ud800 end";
        assertEquals("a\\\\b\"c\\nd \u00e9 \u2713 \ud83d\ude00 ? end", written(out -> out.helpText(s)));
        assertEquals("a\\\\b\\\"c\\nd \u00e9 \u2713 \ud83d\ude00 ? end", written(out -> out.quoted(s)));
        assertEquals("a\\b\"c\nd \u00e9 \u2713 \ud83d\ude00 ? end", written(out -> out.name(s)));
    }

    @Test
    void writesAcrossBufferBoundaries() throws IOException {
        String ascii = "x".repeat(20_000);
        String mixed = "\ud83d\ude00\u00e9\\".repeat(7_000);
        String expected = ascii + mixed.replace("\\", "\\\\") + "12345.5";
        assertEquals(expected, written(out -> {
            out.ascii(ascii);
            out.quoted(mixed);
            out.value(12345.5);
        }));
    }
}
