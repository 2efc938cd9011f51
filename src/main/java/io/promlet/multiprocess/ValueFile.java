package io.promlet.multiprocess;

import io.promlet.model.Labels;
import io.promlet.model.MetricNames;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The format of the multi-process mode's files: a process's values of one kind ({@code counter_<id>.db},
 * {@code gauge_livesum_<id>.db}, ...) and the archive of dead processes' values ({@code archive.db}).
 *
 * <pre>
 * offset  size  field, numbers in native byte order
 *      0     8  magic "promlet1"
 *      8     8  used: bytes in use, written last (release) when an entry is complete, read first (acquire)
 *     16     8  nonce: random, names this incarnation of the file; the archive lists the nonces it absorbed
 *     24     8  generation: archive only, one more on every compaction
 *     32     8  number of absorbed nonces (archive only), followed by the nonces
 *              then entries: int key length, key, zero padding to 8, double value, long timestamp (ms)
 * </pre>
 *
 * <p>A process appends entries to its own files only, under a process-local lock; value and timestamp are
 * 8-byte aligned, so other processes update and read them atomically through the mapping. An entry
 * becomes visible when {@code used} covers it, which is published after the entry is written, so a reader
 * never sees half of one. Files are created under a temporary name and renamed once their header is
 * written; files grow by writing zeros at their end (so a full disk is an IOException, not a SIGBUS) and
 * mapping the larger region; earlier mappings stay valid and keep writing to the same pages.
 */
final class ValueFile {
    /** Reads and writes longs and doubles at 8-byte-aligned offsets of a mapping, atomically. */
    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final long MAGIC = ByteBuffer.wrap("promlet1".getBytes(StandardCharsets.US_ASCII))
            .order(ByteOrder.nativeOrder()).getLong();
    private static final int USED = 8;
    private static final int NONCE = 16;
    private static final int GENERATION = 24;
    private static final int ABSORBED = 32;
    static final int HEADER = 40;
    private static final int INITIAL_SIZE = 32 * 1024;
    private static final int MAX_SIZE = 1 << 30;
    /** A file kind as keys name it, such as {@code counter} or {@code gauge_livesum}. */
    private static final Pattern KIND = Pattern.compile("[a-z]+(?:_[a-z]+)?");

    private ValueFile() {
    }

    /**
     * What a value is: its metric kind (the file kind, such as {@code counter} or {@code gauge_livesum}),
     * family name, help, unit, sample name and labels.
     */
    static final class Key {
        final String kind;
        final String family;
        final String help;
        final String unit;
        final String sample;
        final Labels labels;

        Key(String kind, String family, String help, String unit, String sample, Labels labels) {
            this.kind = kind;
            this.family = family;
            this.help = help;
            this.unit = unit;
            this.sample = sample;
            this.labels = labels;
        }

        /** Keys are looked up in maps: an appender's slots, the entries a compaction merges. */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return Objects.equals(kind, k.kind) && Objects.equals(family, k.family) && Objects.equals(help, k.help)
                    && Objects.equals(unit, k.unit) && Objects.equals(sample, k.sample) && Objects.equals(labels, k.labels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, family, help, unit, sample, labels);
        }

        byte[] encode() {
            List<byte[]> parts = new ArrayList<>();
            for (String s : new String[] {kind, family, help, unit, sample}) {
                parts.add(s.getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < labels.size(); i++) {
                parts.add(labels.name(i).getBytes(StandardCharsets.UTF_8));
                parts.add(labels.value(i).getBytes(StandardCharsets.UTF_8));
            }
            int size = 4;
            for (byte[] p : parts) {
                size += 4 + p.length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
            b.putInt(labels.size());
            for (byte[] p : parts) {
                b.putInt(p.length).put(p);
            }
            return b.array();
        }

        /**
         * The key stored at this range of a file, checked as a scrape needs it: UTF-8 throughout, the names valid
         * in Prometheus. Damaged bytes within the range make it fail, without touching the entries around it.
         *
         * @throws IOException saying what is wrong
         */
        static Key decode(ByteBuffer file, int offset, int length) throws IOException {
            // A duplicate narrowed to the key and sliced, as ByteBuffer.slice(offset, length) is Java 13.
            ByteBuffer range = file.duplicate();
            range.limit(offset + length).position(offset);
            ByteBuffer b = range.slice().order(ByteOrder.nativeOrder());
            int labelCount = b.getInt();
            if (labelCount < 0 || labelCount > length / 8) {
                throw new IOException("a key claims " + labelCount + " labels");
            }
            String[] fixed = new String[5];
            for (int i = 0; i < fixed.length; i++) {
                fixed[i] = string(b);
            }
            String[] names = new String[labelCount];
            String[] values = new String[labelCount];
            for (int i = 0; i < labelCount; i++) {
                names[i] = string(b);
                values[i] = string(b);
            }
            if (b.hasRemaining()) {
                throw new IOException("a key has " + b.remaining() + " bytes too many");
            }
            check(KIND.matcher(fixed[0]).matches(), "kind", fixed[0]);
            check(MetricNames.isValidMetricName(fixed[1]), "metric name", fixed[1]);
            check(fixed[3].isEmpty() || MetricNames.isValidLabelName(fixed[3]), "unit", fixed[3]);
            check(MetricNames.isValidMetricName(fixed[4]), "sample name", fixed[4]);
            for (String name : names) {
                check(MetricNames.isValidLabelName(name) && !name.startsWith("__"), "label name", name);
            }
            Labels labels;
            try {
                labels = Labels.of(names, values);
            } catch (IllegalArgumentException e) {
                throw new IOException("a key's labels are invalid: " + e.getMessage(), e);
            }
            if (fixed[0].equals(FileKind.HISTOGRAM.fileName()) && fixed[4].equals(NativeBucketKey.sampleName(fixed[1]))) {
                // Checked here, so that a damaged native bucket key costs only its entry, as any damaged key does.
                check(labelCount > 0 && names[labelCount - 1].equals("le"), "native bucket sample without le", fixed[4]);
                try {
                    NativeBucketKey.decode(values[labelCount - 1]);
                } catch (IllegalArgumentException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            return new Key(fixed[0], fixed[1], fixed[2], fixed[3], fixed[4], labels);
        }

        private static void check(boolean valid, String what, String value) throws IOException {
            if (!valid) {
                throw new IOException("a key has the invalid " + what + " \"" + value + "\"");
            }
        }

        private static String string(ByteBuffer b) throws IOException {
            int n = b.remaining() >= 4 ? b.getInt() : -1;
            if (n < 0 || n > b.remaining()) {
                throw new IOException("a key is cut short");
            }
            ByteBuffer bytes = b.slice();
            bytes.limit(n);
            b.position(b.position() + n);
            try {
                // Strict, where new String(...) would turn damaged bytes into replacement characters.
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw new IOException("a key is not UTF-8", e);
            }
        }
    }

    /** One value read from a file, with the time it was last set (0 unless its kind keeps timestamps). */
    static final class Entry {
        final Key key;
        final double value;
        final long timestamp;

        Entry(Key key, double value, long timestamp) {
            this.key = key;
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    /** What one file holds. */
    static final class Contents {
        static final Contents EMPTY = new Contents(0, 0, new long[0], List.of(), null);

        final long nonce;
        final long generation;
        final long[] absorbed;
        final List<Entry> entries;
        /** The entries that were skipped, such as {@code 2 damaged entries (the first at offset 40: ...)}; null if none. */
        final String damage;

        Contents(long nonce, long generation, long[] absorbed, List<Entry> entries, String damage) {
            this.nonce = nonce;
            this.generation = generation;
            this.absorbed = absorbed;
            this.entries = entries;
            this.damage = damage;
        }
    }

    /** Where one value lives: an 8-byte-aligned offset in a mapping, the timestamp 8 bytes after it. */
    static final class Slot {
        final ByteBuffer buffer;
        final int offset;

        Slot(ByteBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }
    }

    /**
     * Reads a file.
     *
     * @throws java.nio.file.NoSuchFileException if it was removed meanwhile
     * @throws IOException                       if it cannot be read, is not a complete file of this format, or
     *                                           shrank while it was read
     */
    static Contents read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer buffer = map(channel);
            if ((long) LONGS.get(buffer, 0) != MAGIC) {
                throw new IOException("not a promlet file (wrong magic number)");
            }
            long used = (long) LONGS.getAcquire(buffer, USED);
            if (used > buffer.capacity()) {
                buffer = map(channel); // it grew after we mapped it: the region that used covers is written by now
            }
            long absorbedCount = (long) LONGS.get(buffer, ABSORBED);
            if (absorbedCount < 0 || absorbedCount > used / 8 || used > buffer.capacity() || used < HEADER + 8 * absorbedCount
                    || used % 8 != 0) {
                throw new IOException("truncated or damaged: " + used + " bytes in use, " + absorbedCount
                        + " absorbed nonces, " + buffer.capacity() + " bytes long");
            }
            long[] absorbed = new long[(int) absorbedCount];
            for (int i = 0; i < absorbed.length; i++) {
                absorbed[i] = (long) LONGS.get(buffer, HEADER + 8 * i);
            }
            List<Entry> entries = new ArrayList<>();
            int damagedEntries = 0;
            String firstDamage = null;
            int pos = HEADER + 8 * absorbed.length;
            while (pos < used) {
                int keyLength = pos + 4 <= used ? buffer.getInt(pos) : -1;
                int valueOffset = keyLength < 0 ? -1 : align(pos + 4 + keyLength);
                if (keyLength <= 0 || valueOffset < 0 || valueOffset + 16 > used) {
                    throw new IOException("damaged entry at offset " + pos);
                }
                try {
                    Key key = Key.decode(buffer, pos + 4, keyLength);
                    // The timestamp first: writers stamp after setting, so the value is at least as new as its stamp.
                    long timestamp = (long) LONGS.getAcquire(buffer, valueOffset + 8);
                    double value = Double.longBitsToDouble((long) LONGS.getVolatile(buffer, valueOffset));
                    entries.add(new Entry(key, value, timestamp));
                } catch (IOException damagedKey) {
                    // The entry's length is sound, so the next entry is still found: only this one is lost.
                    if (damagedEntries++ == 0) {
                        firstDamage = "at offset " + pos + ": " + damagedKey.getMessage();
                    }
                }
                pos = valueOffset + 16;
            }
            String damage = damagedEntries == 0 ? null : damagedEntries == 1 ? "a damaged entry (" + firstDamage + ")"
                    : damagedEntries + " damaged entries (the first " + firstDamage + ")";
            return new Contents((long) LONGS.get(buffer, NONCE), (long) LONGS.get(buffer, GENERATION), absorbed, entries,
                    damage);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("damaged: " + e.getMessage(), e);
        } catch (InternalError e) {
            // A file that shrinks under its mapping makes reading the lost pages fault (SIGBUS), which the JVM
            // reports as this error, possibly a little after the read; at the latest closing the channel (a
            // native call) delivers it, and that happens inside this try.
            throw new IOException("it shrank while being read (" + e.getMessage() + ")", e);
        }
    }

    /** The generation of an archive, from its header; archives never change once renamed into place. */
    static long generation(Path archive) throws IOException {
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.nativeOrder());
            int n = 0;
            while (header.hasRemaining() && n >= 0) {
                n = channel.read(header);
            }
            if (header.hasRemaining() || header.getLong(0) != MAGIC) {
                throw new IOException("not a promlet file");
            }
            return header.getLong(GENERATION);
        }
    }

    /** Writes an archive under a temporary name and renames it into place, replacing the previous one. */
    static void writeArchive(Path target, long generation, long[] absorbed, Collection<Entry> entries) throws IOException {
        List<byte[]> keys = new ArrayList<>(entries.size());
        long size = HEADER + 8L * absorbed.length;
        for (Entry e : entries) {
            byte[] key = e.key.encode();
            keys.add(key);
            size = align(size + 4 + key.length) + 16;
        }
        if (size > MAX_SIZE) {
            throw new IOException("the archive would be " + size + " bytes, more than " + MAX_SIZE);
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.nativeOrder());
        b.putLong(MAGIC).putLong(size).putLong(ThreadLocalRandom.current().nextLong()).putLong(generation)
                .putLong(absorbed.length);
        for (long nonce : absorbed) {
            b.putLong(nonce);
        }
        int i = 0;
        for (Entry e : entries) {
            byte[] key = keys.get(i++);
            b.putInt(key.length).put(key);
            b.position(align(b.position()));
            b.putDouble(e.value).putLong(e.timestamp);
        }
        b.flip();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static MappedByteBuffer map(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < HEADER || size > MAX_SIZE) {
            throw new IOException(size < HEADER ? "truncated: " + size + " bytes" : "too large: " + size + " bytes");
        }
        MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        buffer.order(ByteOrder.nativeOrder());
        return buffer;
    }

    private static int align(int offset) {
        return (offset + 7) & ~7;
    }

    private static long align(long offset) {
        return (offset + 7) & ~7L;
    }

    /**
     * A process's own file of one kind, which only it appends to. New keys take this object's lock; the
     * slots it hands out are then updated without any lock.
     */
    static final class Appender implements Closeable {
        private final FileChannel channel;
        private final Map<Key, Integer> offsets = new HashMap<>();
        private MappedByteBuffer buffer;
        private int used = HEADER;

        private Appender(FileChannel channel, MappedByteBuffer buffer) {
            this.channel = channel;
            this.buffer = buffer;
        }

        /**
         * Creates the file {@code name} in the directory, which must not exist yet: it is written under a
         * temporary name and renamed once its header is complete, so no reader ever sees it half made.
         */
        static Appender create(Path directory, String name) throws IOException {
            Path tmp = directory.resolve(name + ".tmp");
            FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                MappedByteBuffer buffer = grow(channel, INITIAL_SIZE);
                LONGS.set(buffer, 0, MAGIC);
                LONGS.set(buffer, NONCE, ThreadLocalRandom.current().nextLong());
                LONGS.setRelease(buffer, USED, (long) HEADER);
                Files.move(tmp, directory.resolve(name));
                return new Appender(channel, buffer);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
        }

        /** The slot of this key, appended on its first use. */
        synchronized Slot slot(Key key) throws IOException {
            Integer known = offsets.get(key);
            if (known != null) {
                return new Slot(buffer, known);
            }
            byte[] bytes = key.encode();
            int valueOffset = align(used + 4 + bytes.length);
            int end = valueOffset + 16;
            if (end > buffer.capacity()) {
                int size = buffer.capacity();
                while (size < end) {
                    if (size >= MAX_SIZE) {
                        throw new IOException("the file would exceed " + MAX_SIZE + " bytes");
                    }
                    size *= 2;
                }
                buffer = grow(channel, size);
            }
            buffer.putInt(used, bytes.length);
            // Through a duplicate, as the absolute ByteBuffer.put(index, bytes) is Java 16; the mapping's own
            // position stays untouched.
            ByteBuffer keyBytes = buffer.duplicate();
            keyBytes.position(used + 4);
            keyBytes.put(bytes);
            LONGS.set(buffer, valueOffset, 0L);
            LONGS.set(buffer, valueOffset + 8, 0L);
            LONGS.setRelease(buffer, USED, (long) end);
            used = end;
            offsets.put(key, valueOffset);
            return new Slot(buffer, valueOffset);
        }

        private static MappedByteBuffer grow(FileChannel channel, int size) throws IOException {
            long position = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate(8192);
            while (position < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            buffer.order(ByteOrder.nativeOrder());
            return buffer;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
