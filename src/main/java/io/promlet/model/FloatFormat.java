package io.promlet.model;

/** Formats sample values and bucket bounds the way Prometheus and the Python client do ({@code 1.0}, {@code 0.25}, {@code 1.0e+20}, {@code +Inf}). */
public final class FloatFormat {
    private FloatFormat() {
    }

    /** The exposition form of a value: {@code +Inf}, {@code -Inf}, {@code NaN}, or a decimal that reads back exactly. */
    public static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (long) v + ".0";
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        // Java writes 1.0E20 and 1.0E-5; Go and Python write 1e+20 and 1e-05, any parser reads both.
        String exponent = s.substring(e + 1);
        return s.substring(0, e) + (exponent.startsWith("-") ? "e" : "e+") + exponent;
    }
}
