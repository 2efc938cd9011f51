package io.promlet;

import io.promlet.ValueFile.Entry;

/**
 * How the multi-process mode combines the values that several processes (and the archive of dead ones)
 * hold for one sample into the value a scrape shows, by the kind of file they come from.
 */
enum Aggregation {
    /** Counters, histogram buckets and sums, summary counts and sums, {@code sum} and {@code livesum} gauges. */
    SUM,
    MIN,
    MAX,
    /** The value set last, by its timestamp. */
    MOST_RECENT,
    /** One series per process, told apart by a {@code pid} label; a later entry of a series replaces an earlier one. */
    PER_PROCESS;

    /** The aggregation of a file kind, or null if the kind is unknown (a newer promlet wrote it). */
    static Aggregation of(String kind) {
        switch (kind) {
            case "counter", "histogram", "summary":
                return SUM;
            case "info", "stateset":
                // 0/1 flags: a label set or state is shown if any live process has it.
                return MAX;
            default:
                Gauge.MultiprocessMode mode = Gauge.MultiprocessMode.ofKind(kind);
                if (mode == null) {
                    return null;
                }
                return switch (mode) {
                    case ALL, LIVEALL -> PER_PROCESS;
                    case MIN, LIVEMIN -> MIN;
                    case MAX, LIVEMAX -> MAX;
                    case SUM, LIVESUM -> SUM;
                    case MOSTRECENT, LIVEMOSTRECENT -> MOST_RECENT;
                };
        }
    }

    /** True if only live processes' values of this kind count; they are dropped, not archived, when a process dies. */
    static boolean isLive(String kind) {
        Gauge.MultiprocessMode mode = Gauge.MultiprocessMode.ofKind(kind);
        return mode != null ? mode.live() : kind.equals("info") || kind.equals("stateset");
    }

    /** True if each process's values of this kind get a {@code pid} label. */
    static boolean isPerProcess(String kind) {
        Gauge.MultiprocessMode mode = Gauge.MultiprocessMode.ofKind(kind);
        return mode != null && mode.perProcess();
    }

    /** The combination of an earlier and a later entry of the same sample. */
    Entry combine(Entry earlier, Entry later) {
        return switch (this) {
            case SUM -> new Entry(earlier.key(), earlier.value() + later.value(),
                    Math.max(earlier.timestamp(), later.timestamp()));
            case MIN -> later.value() < earlier.value() ? later : earlier;
            case MAX -> later.value() > earlier.value() ? later : earlier;
            case MOST_RECENT -> later.timestamp() > earlier.timestamp() ? later : earlier;
            case PER_PROCESS -> later;
        };
    }
}
