package io.promlet.multiprocess;

import io.promlet.internal.MetricDescriptor;
import io.promlet.multiprocess.ValueFile.Entry;

import java.util.Locale;

/**
 * The kinds of file a process writes its values to ({@code counter_<id>.db}, {@code gauge_livesum_<id>.db}, ...),
 * one per metric type and gauge mode, and how the values that several processes (and the archive of dead ones)
 * hold for one sample merge into the value a scrape shows. The gauge modes' rules live here, with the mode.
 */
enum FileKind {
    COUNTER(Merge.SUM, false),
    HISTOGRAM(Merge.SUM, false),
    SUMMARY(Merge.SUM, false),
    /** 0/1 flags: a label set is shown if any live process has it. */
    INFO(Merge.MAX, true),
    /** 0/1 flags: a state is shown if any live process has it. */
    STATESET(Merge.MAX, true),
    GAUGE_ALL(Merge.PER_PROCESS, false),
    GAUGE_LIVEALL(Merge.PER_PROCESS, true),
    GAUGE_MIN(Merge.MIN, false),
    GAUGE_LIVEMIN(Merge.MIN, true),
    GAUGE_MAX(Merge.MAX, false),
    GAUGE_LIVEMAX(Merge.MAX, true),
    GAUGE_SUM(Merge.SUM, false),
    GAUGE_LIVESUM(Merge.SUM, true),
    GAUGE_MOSTRECENT(Merge.MOST_RECENT, false),
    GAUGE_LIVEMOSTRECENT(Merge.MOST_RECENT, true);

    /** How the values of one sample from several processes become one. */
    private enum Merge {
        SUM, MIN, MAX,
        /** The value set last, by its timestamp. */
        MOST_RECENT,
        /** One series per process, told apart by a {@code pid} label; a later entry of a series replaces an earlier one. */
        PER_PROCESS
    }

    private final Merge merge;
    private final boolean live;
    /** As written in file names and keys, such as {@code gauge_livesum}. */
    private final String fileName;

    FileKind(Merge merge, boolean live) {
        this.merge = merge;
        this.live = live;
        this.fileName = name().toLowerCase(Locale.ROOT);
    }

    /** The kind of file a metric's values go to. */
    static FileKind of(MetricDescriptor metric) {
        switch (metric.type) {
            case COUNTER:
                return COUNTER;
            case HISTOGRAM:
                return HISTOGRAM;
            case SUMMARY:
                return SUMMARY;
            case INFO:
                return INFO;
            case STATESET:
                return STATESET;
            case GAUGE:
                return valueOf("GAUGE_" + metric.gaugeMode.toUpperCase(Locale.ROOT));
            default:
                throw new IllegalArgumentException("metric " + metric.name + ": the multi-process mode has no file for "
                        + metric.type);
        }
    }

    /** The kind with this file name, or null if it is unknown (a newer promlet wrote it). */
    static FileKind named(String fileName) {
        for (FileKind kind : values()) {
            if (kind.fileName.equals(fileName)) {
                return kind;
            }
        }
        return null;
    }

    /** True if only live processes' values of this kind (by file name) count; they are dropped, not archived, when a process dies. */
    static boolean isLive(String fileName) {
        FileKind kind = named(fileName);
        return kind != null && kind.live;
    }

    /** True if each process's values of this kind (by file name) get a {@code pid} label. */
    static boolean isPerProcess(String fileName) {
        FileKind kind = named(fileName);
        return kind != null && kind.perProcess();
    }

    String fileName() {
        return fileName;
    }

    boolean live() {
        return live;
    }

    boolean perProcess() {
        return merge == Merge.PER_PROCESS;
    }

    /** True if values of this kind keep the time they were last set, which decides the merge. */
    boolean timestamped() {
        return merge == Merge.MOST_RECENT;
    }

    /** The merge of an earlier and a later entry of the same sample. */
    Entry combine(Entry earlier, Entry later) {
        switch (merge) {
            case SUM:
                return new Entry(earlier.key, earlier.value + later.value,
                        Math.max(earlier.timestamp, later.timestamp));
            case MIN:
                return later.value < earlier.value ? later : earlier;
            case MAX:
                return later.value > earlier.value ? later : earlier;
            case MOST_RECENT:
                return later.timestamp > earlier.timestamp ? later : earlier;
            default:
                return later;
        }
    }
}
