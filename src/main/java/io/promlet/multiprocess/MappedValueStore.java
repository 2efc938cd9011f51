package io.promlet.multiprocess;

import io.promlet.multiprocess.ValueFile.Appender;
import io.promlet.multiprocess.ValueFile.Key;
import io.promlet.multiprocess.ValueFile.Slot;
import io.promlet.internal.MetricDescriptor;
import io.promlet.internal.NativeBucketValues;
import io.promlet.internal.Value;
import io.promlet.internal.ValueStore;
import io.promlet.model.FloatFormat;
import io.promlet.model.Labels;
import io.promlet.model.MetricFamily;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.promlet.multiprocess.ValueFile.LONGS;

/**
 * The multi-process mode's store: this process's values live in memory-mapped files of the shared
 * directory, one file per kind, where other processes' scrapes read them.
 *
 * <p>Adding is a compare-and-set loop on the value's bits in the mapping and setting is a volatile write,
 * both lock-free; mapped writes land in the shared page cache, so other processes see them at once and
 * they outlive this process however it ends. The first use of a label set appends its entry under the
 * file's lock. If a file cannot be written (disk full), the value stays in memory and a warning says so:
 * the application goes on, its values missing from scrapes.
 */
final class MappedValueStore implements ValueStore, Closeable {
    private static final System.Logger LOG = System.getLogger(MappedValueStore.class.getName());

    private final SharedDirectory directory;
    private final SharedDirectory.Claim claim;
    private final Map<String, Appender> appenders = new HashMap<>();
    /** Made on the first scrape; a race makes two, of which one is kept. */
    private volatile MultiProcessCollector collector;
    private boolean failed;
    private boolean closed;

    /** A store for this process in the directory: claims an id and merges the files of dead processes. */
    MappedValueStore(Path directory) throws IOException {
        this(directory, ProcessHandle.current().pid(), SharedDirectory.JVM);
    }

    /** A store that stands in for another process, so that tests can run several in one JVM. */
    MappedValueStore(Path directory, long pid) throws IOException {
        this(directory, pid, "p" + pid);
    }

    private MappedValueStore(Path directory, long pid, String jvm) throws IOException {
        this.directory = new SharedDirectory(SharedDirectory.validate(directory, "the directory"), jvm);
        this.claim = this.directory.claim(pid);
    }

    /** The id of this process in the directory: its pid, or {@code <pid>-<n>} if that was taken. */
    String id() {
        return claim.id;
    }

    Path directory() {
        return directory.path;
    }

    /**
     * @throws IllegalArgumentException if a gauge of a per-process mode has a {@code pid} label, which the mode adds
     */
    @Override
    public ValueStore forMetric(MetricDescriptor metric) {
        FileKind kind = FileKind.of(metric);
        if (kind.perProcess() && metric.labelNames.contains("pid")) {
            throw new IllegalArgumentException("gauge " + metric.name + ": multiprocess mode " + metric.gaugeMode
                    + " adds a pid label, so the gauge cannot have one");
        }
        return new MetricValues(metric, kind);
    }

    /** Every process's values in the directory, merged; the collector is made once, as it remembers what it warned of. */
    @Override
    public List<MetricFamily> collectAllProcesses() {
        MultiProcessCollector c = collector;
        if (c == null) {
            c = new MultiProcessCollector(directory.path);
            collector = c;
        }
        return c.collect();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Value counter(String metricName, String sampleName, Labels labels) {
        throw new UnsupportedOperationException("values are made by the store of a metric, from forMetric");
    }

    @Override
    public Value gauge(String metricName, String sampleName, Labels labels) {
        throw new UnsupportedOperationException("values are made by the store of a metric, from forMetric");
    }

    /**
     * Releases the id (for other processes, this process is then dead) and closes the files; the mappings
     * stay until they are garbage, so values already handed out must not be used any more.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            for (Appender a : appenders.values()) {
                a.close();
            }
            claim.close();
        }
    }

    private synchronized Value value(Key key, boolean timestamped) {
        try {
            Appender appender = appenders.get(key.kind);
            if (appender == null) {
                appender = Appender.create(directory.path, key.kind + "_" + claim.id + ".db");
                appenders.put(key.kind, appender);
            }
            Slot slot = appender.slot(key);
            return timestamped ? new TimestampedValue(slot.buffer, slot.offset)
                    : new MappedValue(slot.buffer, slot.offset);
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                LOG.log(System.Logger.Level.WARNING, "multi-process mode: cannot write to " + directory.path
                        + " (" + e + "); " + key.family + " and later new values stay in this process and are missing from scrapes");
            }
            return ValueStore.MEMORY.gauge(key.family, key.sample, key.labels);
        }
    }

    /** The store of one metric: records the metric's kind, help and unit with each value. */
    private final class MetricValues implements ValueStore {
        private final MetricDescriptor metric;
        private final FileKind kind;

        MetricValues(MetricDescriptor metric, FileKind kind) {
            this.metric = metric;
            this.kind = kind;
        }

        @Override
        public Value counter(String metricName, String sampleName, Labels labels) {
            return value(key(metricName, sampleName, labels), false);
        }

        @Override
        public Value gauge(String metricName, String sampleName, Labels labels) {
            return value(key(metricName, sampleName, labels), kind.timestamped());
        }

        /**
         * The classic {@code _bucket} values are made too, and stay 0: their keys tell a scrape every classic bound,
         * also those whose native bucket parts have not been observed yet.
         */
        @Override
        public NativeBucketValues nativeBuckets(String metricName, Labels labels, double[] classicUpperBounds, int schema,
                                                double zeroThreshold, int maxBuckets) {
            for (double bound : classicUpperBounds) {
                counter(metricName, metricName + "_bucket", labels.plus("le", FloatFormat.format(bound)));
            }
            String sample = NativeBucketKey.sampleName(metricName);
            return new NativeBucketValues() {
                @Override
                public Value zero(int classicIndex) {
                    return part(true, false, 0, classicIndex);
                }

                @Override
                public Value bucket(boolean negative, int index, int classicIndex) {
                    return part(false, negative, index, classicIndex);
                }

                private Value part(boolean zero, boolean negative, int index, int classicIndex) {
                    NativeBucketKey part = new NativeBucketKey(zero, negative, index, classicUpperBounds[classicIndex], schema,
                            zeroThreshold, maxBuckets);
                    return counter(metricName, sample, labels.plus("le", part.encode()));
                }
            };
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public List<MetricFamily> collectAllProcesses() {
            return MappedValueStore.this.collectAllProcesses();
        }

        private Key key(String metricName, String sampleName, Labels labels) {
            return new Key(kind.fileName(), metricName, metric.help, metric.unit, sampleName, labels);
        }
    }

    /** A value in a mapped file. */
    private static class MappedValue implements Value {
        final ByteBuffer buffer;
        final int offset;

        MappedValue(ByteBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        public void add(double amount) {
            long old;
            do {
                old = (long) LONGS.getVolatile(buffer, offset);
            } while (!LONGS.compareAndSet(buffer, offset, old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + amount)));
        }

        @Override
        public void set(double value) {
            LONGS.setVolatile(buffer, offset, Double.doubleToRawLongBits(value));
        }

        @Override
        public double get() {
            return Double.longBitsToDouble((long) LONGS.getVolatile(buffer, offset));
        }
    }

    /**
     * A value with the time of its last change beside it, for the {@code mostrecent} gauge modes. The
     * timestamp is written after the value, so a reader that sees a timestamp sees that value or a newer one.
     */
    private static final class TimestampedValue extends MappedValue {
        TimestampedValue(ByteBuffer buffer, int offset) {
            super(buffer, offset);
        }

        @Override
        public void add(double amount) {
            super.add(amount);
            LONGS.setRelease(buffer, offset + 8, System.currentTimeMillis());
        }

        @Override
        public void set(double value) {
            super.set(value);
            LONGS.setRelease(buffer, offset + 8, System.currentTimeMillis());
        }
    }
}
