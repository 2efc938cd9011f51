package io.promlet.internal;

import io.promlet.model.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The W3C traceparent header: what gives an exemplar and what does not. */
class TraceparentTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_ID = "00f067aa0ba902b7";
    static final String SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

    @Test
    void aSampledHeaderGivesItsTraceAndSpanIds() {
        assertEquals(SAMPLED, Traceparent.sampledOrNull(SAMPLED));
        assertEquals(Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID), Traceparent.exemplarLabels(SAMPLED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"03", "09", "ff", "fd"})
    void anyFlagsWithTheSampledBitCount(String flags) {
        String header = "00-" + TRACE_ID + "-" + SPAN_ID + "-" + flags;
        assertEquals(header, Traceparent.sampledOrNull(header));
    }

    @Test
    void aLaterVersionMayCarryMoreAfterADash() {
        String header = "01-" + TRACE_ID + "-" + SPAN_ID + "-01-what-comes-next";
        assertEquals(header, Traceparent.sampledOrNull(header));
        assertNull(Traceparent.sampledOrNull("01-" + TRACE_ID + "-" + SPAN_ID + "-01x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", // not sampled
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02", // flags without the sampled bit
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // trace id one short
            "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01", // trace id one long
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01", // span id one short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", // version 00 has nothing after the flags
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // flags one short
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper-case trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", // upper-case span id
            "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // upper-case version
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0F", // upper-case flags
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version not hex
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // wrong separator
            "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01", // not hex
            " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // leading space
            ""})
    void malformedOrUnsampledHeadersGiveNone(String header) {
        assertNull(Traceparent.sampledOrNull(header));
    }

    @Test
    void aSpansIdsAreCheckedAsTheHeadersAre() {
        assertEquals(Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID), CurrentSpan.labels(TRACE_ID, SPAN_ID));
        assertNull(CurrentSpan.labels(TRACE_ID + "0", SPAN_ID));
        assertNull(CurrentSpan.labels("x".repeat(200), SPAN_ID));
        assertNull(CurrentSpan.labels(TRACE_ID, "0000000000000000"));
        assertNull(CurrentSpan.labels(TRACE_ID.toUpperCase(Locale.ROOT), SPAN_ID));
        assertNull(CurrentSpan.labels(null, SPAN_ID));
    }

    @Test
    void anAbsentHeaderGivesNone() {
        assertNull(Traceparent.sampledOrNull(null));
    }
}
