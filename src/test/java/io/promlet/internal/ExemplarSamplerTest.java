package io.promlet.internal;

import io.promlet.model.Exemplar;
import io.promlet.model.Labels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The retention rules of automatic exemplars, on a clock the test sets. */
class ExemplarSamplerTest {
    private static final Labels SPAN = Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7");
    private static final long T0 = 1_700_000_000_000L;

    /** A sampled span is current; counts how often the sampler asked for its ids. */
    private static final class FixedTrace implements TraceContext {
        final Labels labels;
        int asked;

        FixedTrace(Labels labels) {
            this.labels = labels;
        }

        @Override
        public boolean sampled() {
            return labels != null;
        }

        @Override
        public Labels exemplarLabels() {
            asked++;
            return labels;
        }
    }

    private final FixedTrace trace = new FixedTrace(SPAN);

    @Test
    void anEmptySlotTakesTheFirstObservation() {
        Exemplar e = ExemplarSampler.replacement(null, 0.2, T0, trace);
        assertNotNull(e);
        assertEquals(SPAN, e.labels());
        assertEquals(0.2, e.value());
        assertEquals(T0 / 1000.0, e.timestampSeconds());
    }

    @Test
    void aKeptExemplarIsNotReplacedWithinTheMinimumRetentionEvenBySlowerOnes() {
        Exemplar kept = ExemplarSampler.replacement(null, 0.2, T0, trace);
        assertNull(ExemplarSampler.replacement(kept, 0.9, T0 + 6_999, trace));
        assertNull(ExemplarSampler.replacement(kept, 0.1, T0 + 1, trace));
        assertEquals(1, trace.asked, "a slot that is not due does not even look up the span");
    }

    @Test
    void afterTheMinimumRetentionOnlyAnAtLeastAsLargeValueReplacesIt() {
        Exemplar kept = ExemplarSampler.replacement(null, 0.2, T0, trace);
        assertNull(ExemplarSampler.replacement(kept, 0.19, T0 + 7_000, trace));
        assertEquals(0.2, ExemplarSampler.replacement(kept, 0.2, T0 + 7_000, trace).value());
        assertEquals(0.5, ExemplarSampler.replacement(kept, 0.5, T0 + 69_000, trace).value());
    }

    @Test
    void afterTheMaximumRetentionAnyValueReplacesIt() {
        Exemplar kept = ExemplarSampler.replacement(null, 0.2, T0, trace);
        assertNull(ExemplarSampler.replacement(kept, 0.01, T0 + 69_999, trace));
        Exemplar newer = ExemplarSampler.replacement(kept, 0.01, T0 + 70_000, trace);
        assertEquals(0.01, newer.value());
        assertEquals((T0 + 70_000) / 1000.0, newer.timestampSeconds());
    }

    @Test
    void noSpanAnyMoreMeansNoExemplar() {
        assertNull(ExemplarSampler.replacement(null, 0.2, T0, new FixedTrace(null)));
    }

    @Test
    void aManualExemplarIsKeptByTheSameRules() {
        Exemplar manual = new Exemplar(Labels.of("trace_id", "manual"), 0.2, T0 / 1000.0);
        assertNull(ExemplarSampler.replacement(manual, 5, T0 + 1_000, trace));
        assertEquals(5.0, ExemplarSampler.replacement(manual, 5, T0 + 8_000, trace).value());
    }
}
