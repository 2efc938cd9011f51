package io.promlet.internal;

import io.promlet.model.Exemplar;
import io.promlet.model.Labels;

/**
 * Which observations become automatic exemplars, client_java's retention rules: an exemplar is kept at least
 * {@value #MIN_RETENTION_SECONDS} s, so a bucket (or a counter) takes at most one new exemplar in that interval,
 * however busy it is; after that a new observation replaces it only if it is at least as large (the slowest
 * request of a latency bucket wins), and after {@value #MAX_RETENTION_SECONDS} s any new one does, so the exemplar
 * stays recent. These are client_java's defaults, so a latency panel shows as many exemplars with either library.
 * client_java also lets a timer thread open sampling every 90 ms; promlet starts no thread, and its check, a clock
 * read and a comparison, runs only while a sampled span is current. Manual exemplars take their slot at once, and
 * are kept by the same rules.
 */
public final class ExemplarSampler {
    static final int MIN_RETENTION_SECONDS = 7;
    static final int MAX_RETENTION_SECONDS = 70;

    private ExemplarSampler() {
    }

    /**
     * The new exemplar for an observation, or null to keep the one there: it is too young, or older than the minimum
     * retention and larger, or no sampled span is current any more.
     *
     * @param kept       the slot's exemplar, or null
     * @param value      the observed value (a counter's increment)
     * @param nowMillis  the wall clock, as {@link System#currentTimeMillis()}
     * @param trace      where the trace comes from, asked only when the slot takes a new exemplar
     */
    public static Exemplar replacement(Exemplar kept, double value, long nowMillis, TraceContext trace) {
        if (kept != null) {
            double age = nowMillis / 1000.0 - kept.timestampSeconds();
            if (age < MIN_RETENTION_SECONDS || age < MAX_RETENTION_SECONDS && value < kept.value()) {
                return null;
            }
        }
        Labels labels = trace.exemplarLabels();
        return labels == null ? null : new Exemplar(labels, value, nowMillis / 1000.0);
    }
}
