package io.promlet.internal;

import io.promlet.model.Labels;

/**
 * The W3C Trace Context {@code traceparent} header: {@code version-traceid-parentid-flags}, such as
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. Lower-case hex only, ids not all zero, version
 * {@code ff} invalid; version {@code 00} is exactly 55 characters, a later version may append {@code -} and more,
 * as the specification asks of a parser that does not know it.
 */
public final class Traceparent {
    static final int LENGTH = 55;
    private static final int TRACE_ID = 3;
    private static final int SPAN_ID = 36;
    private static final int FLAGS = 53;

    private Traceparent() {
    }

    /**
     * The header if it is well-formed and its sampled flag is set, else null. Allocates nothing, so a filter may ask
     * on every request.
     */
    public static String sampledOrNull(String header) {
        return header != null && isSampled(header) ? header : null;
    }

    static boolean isSampled(String h) {
        if (h.length() < LENGTH || (h.length() > LENGTH && (h.startsWith("00") || h.charAt(LENGTH) != '-'))) {
            return false;
        }
        if (!isHex(h, 0, 2) || (h.charAt(0) == 'f' && h.charAt(1) == 'f') || h.charAt(2) != '-'
                || !isHex(h, TRACE_ID, 32) || h.charAt(SPAN_ID - 1) != '-' || !isHex(h, SPAN_ID, 16)
                || h.charAt(FLAGS - 1) != '-' || !isHex(h, FLAGS, 2)) {
            return false;
        }
        return !isZero(h, TRACE_ID, 32) && !isZero(h, SPAN_ID, 16) && (Character.digit(h.charAt(FLAGS + 1), 16) & 1) == 1;
    }

    /** The exemplar labels of a header {@link #sampledOrNull} accepted. */
    static Labels exemplarLabels(String header) {
        return Labels.of("trace_id", header.substring(TRACE_ID, TRACE_ID + 32),
                "span_id", header.substring(SPAN_ID, SPAN_ID + 16));
    }

    /** True for a trace or span id as the header carries it: {@code length} lower-case hex digits, not all zero. */
    static boolean isId(String id, int length) {
        return id != null && id.length() == length && isHex(id, 0, length) && !isZero(id, 0, length);
    }

    private static boolean isHex(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
