package io.promlet.exposition;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The byte level of both text formats: names, escaped UTF-8 strings and numbers, written straight into a byte
 * buffer that is handed to the stream when full. Nothing here builds a String per sample, except the rare
 * double that needs all 17 digits (see {@link #value(double)}).
 */
final class ExpositionOutput {
    private static final int BUFFER_SIZE = 8192;
    /** Bytes a single char can turn into: a surrogate pair is 4 UTF-8 bytes, an escape 2. */
    private static final int MAX_BYTES_PER_CHAR = 4;
    private static final long MAX_EXACT_LONG = 1L << 53;
    private static final int MAX_FRACTION_DIGITS = 15;
    private static final long[] LONG_POWERS = new long[MAX_FRACTION_DIGITS + 1];
    private static final double[] DOUBLE_POWERS = new double[MAX_FRACTION_DIGITS + 1];

    static {
        long p = 1;
        for (int i = 0; i <= MAX_FRACTION_DIGITS; i++) {
            LONG_POWERS[i] = p;
            DOUBLE_POWERS[i] = p;
            p *= 10;
        }
    }

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    /** Bytes handed to the stream so far. */
    private long drained;

    ExpositionOutput(OutputStream out) {
        this.out = out;
    }

    /** Writes a string known to be ASCII, such as a metric name or a keyword. */
    void ascii(String s) throws IOException {
        int length = s.length();
        int i = 0;
        while (i < length) {
            if (position == buffer.length) {
                drain();
            }
            int end = Math.min(length, i + buffer.length - position);
            while (i < end) {
                buffer[position++] = (byte) s.charAt(i++);
            }
        }
    }

    void ascii(char c) throws IOException {
        if (position == buffer.length) {
            drain();
        }
        buffer[position++] = (byte) c;
    }

    /** Writes a string as UTF-8, unescaped; for label names, which the model keeps to {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    void name(String s) throws IOException {
        utf8(s, false, false);
    }

    /** Writes a HELP text of the text format 0.0.4: backslash and line feed escaped. */
    void helpText(String s) throws IOException {
        utf8(s, true, false);
    }

    /** Writes a label value, or a HELP text of OpenMetrics: backslash, line feed and double quote escaped. */
    void quoted(String s) throws IOException {
        utf8(s, true, true);
    }

    private void utf8(String s, boolean escape, boolean escapeQuote) throws IOException {
        byte[] b = buffer;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (position > b.length - MAX_BYTES_PER_CHAR) {
                drain();
            }
            char c = s.charAt(i);
            if (c < 0x80) {
                if (escape && (c == '\\' || c == '\n' || (c == '"' && escapeQuote))) {
                    b[position++] = '\\';
                    b[position++] = (byte) (c == '\n' ? 'n' : c);
                } else {
                    b[position++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[position++] = (byte) (0xC0 | c >> 6);
                b[position++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[position++] = (byte) (0xF0 | cp >> 18);
                b[position++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[position++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[position++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // An unpaired surrogate has no UTF-8 form; replace it as String.getBytes does.
                b[position++] = '?';
            } else {
                b[position++] = (byte) (0xE0 | c >> 12);
                b[position++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[position++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    /** Writes a count as a float, {@code 17.0}, as the Python client and client_java do. */
    void count(long v) throws IOException {
        digits(v);
        ascii(".0");
    }

    /**
     * Writes a value that reads back as exactly the same double: {@code +Inf}, {@code -Inf}, {@code NaN};
     * integers below 10^15 as {@code 17.0}; other values from 0.001 up to 10^15 in plain notation, with as few
     * fraction digits as read back exactly ({@code 0.25}, {@code 1700000000.123}), so that timestamps never use
     * exponents; everything else as {@link io.promlet.model.FloatFormat} does ({@code 1.0e-5}, {@code 1.0e+20}).
     * Only values that need about 16 or more significant digits cost a String ({@link Double#toString(double)}).
     */
    void value(double v) throws IOException {
        double a = Math.abs(v);
        if (a < 1e15) {
            if (v == Math.rint(v)) {
                count((long) v);
                return;
            }
            if (a >= 1e-3 && shortDecimal(v, a)) {
                return;
            }
        } else if (v == Double.POSITIVE_INFINITY) {
            ascii("+Inf");
            return;
        } else if (v == Double.NEGATIVE_INFINITY) {
            ascii("-Inf");
            return;
        } else if (Double.isNaN(v)) {
            ascii("NaN");
            return;
        }
        javaDecimal(Double.toString(v), a < 1e15);
    }

    /**
     * Plain notation with k fraction digits, for the smallest k where m / 10^k gives back the value, m being the
     * integer nearest to v * 10^k. The check is exact: m (below 2^53) and 10^k are exact doubles, so the division is
     * correctly rounded, as is parsing the decimal m / 10^k. Values that need more digits fall through.
     */
    private boolean shortDecimal(double v, double a) throws IOException {
        for (int k = 1; k <= MAX_FRACTION_DIGITS; k++) {
            double scaled = a * DOUBLE_POWERS[k];
            if (scaled >= MAX_EXACT_LONG) {
                return false;
            }
            long m = Math.round(scaled);
            if (m / DOUBLE_POWERS[k] == a) {
                if (v < 0) {
                    ascii('-');
                }
                digits(m / LONG_POWERS[k]);
                ascii('.');
                long fraction = m % LONG_POWERS[k];
                for (int zeros = k - digitCount(fraction); zeros > 0; zeros--) {
                    ascii('0');
                }
                digits(fraction);
                return true;
            }
        }
        return false;
    }

    /**
     * Writes Java's decimal form ({@code 1.2345678901234567E9}) with a lower-case exponent and explicit sign
     * ({@code 1.0e-5}, {@code 1.0e+20}), or in plain notation ({@code 1234567890.1234567}) if asked.
     */
    private void javaDecimal(String s, boolean plain) throws IOException {
        int e = s.indexOf('E');
        if (e < 0) {
            ascii(s);
            return;
        }
        int exponent = Integer.parseInt(s, e + 1, s.length(), 10);
        if (!plain || exponent < 0) {
            ascii(s, 0, e);
            ascii(exponent < 0 ? "e" : "e+");
            digits(exponent);
            return;
        }
        // s is [-]d.ddddE<exponent> with 0 <= exponent < 15: move the point right by exponent digits.
        int fractionStart = s.indexOf('.') + 1;
        int pointAt = fractionStart + exponent;
        ascii(s, 0, fractionStart - 1);
        ascii(s, fractionStart, Math.min(pointAt, e));
        for (int i = e; i < pointAt; i++) {
            ascii('0');
        }
        ascii('.');
        if (pointAt >= e) {
            ascii('0');
        } else {
            ascii(s, pointAt, e);
        }
    }

    private void ascii(String s, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            ascii(s.charAt(i));
        }
    }

    private static int digitCount(long v) {
        int count = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            count++;
        }
        return count;
    }

    /** Writes a long in decimal. */
    void digits(long v) throws IOException {
        if (position > buffer.length - 20) {
            drain();
        }
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            buffer[position++] = '-';
            v = -v;
        }
        int end = position + digitCount(v);
        for (int i = end - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        position = end;
    }

    /** The number of bytes written so far, a position for {@link #repeat}. */
    long written() {
        return drained + position;
    }

    /**
     * Writes again the bytes written between two positions, if they are still in the buffer and fit behind them
     * without a drain: a copy instead of encoding the same labels for every line of a histogram. False, and
     * nothing written, if not.
     */
    boolean repeat(long from, long to) {
        long start = from - drained;
        int length = (int) (to - from);
        if (start < 0 || position + length > buffer.length) {
            return false;
        }
        System.arraycopy(buffer, (int) start, buffer, position, length);
        position += length;
        return true;
    }

    /** Hands everything buffered to the stream and flushes it. */
    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (position > 0) {
            out.write(buffer, 0, position);
            drained += position;
            position = 0;
        }
    }
}
