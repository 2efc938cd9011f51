package io.promlet;

import io.promlet.ValueFile.Contents;
import io.promlet.ValueFile.Entry;
import io.promlet.ValueFile.Key;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of the multi-process mode, and the rules all processes follow in it.
 *
 * <ul>
 * <li>{@code <kind>_<id>.db}: one process's values of one kind ({@code counter}, {@code histogram},
 *     {@code summary}, {@code info}, {@code stateset}, {@code gauge_<mode>}), in the {@link ValueFile} format.
 * <li>{@code archive.db}: the merged values of processes that have died, and the nonces of the files merged
 *     last, so that a file left behind by an interrupted compaction is not counted twice.
 * <li>{@code process_<id>.lock}: locked by the process with that id for as long as it lives. The operating
 *     system releases the lock however the process ends (kill -9 too), and it works between containers
 *     that share the directory but not their process ids; {@code ProcessHandle} would work for neither.
 * <li>{@code compact.lock}: locked while an id is claimed or dead processes are merged into the archive.
 * </ul>
 *
 * <p>An id is the pid, or {@code <pid>-2}, {@code <pid>-3}, ... while a live process in another PID namespace
 * holds the plain pid. Where file locks do not work (some network file systems), every process counts as
 * alive until {@link MultiProcess#markProcessDead(Path, long)} says otherwise.
 *
 * <p>A JVM must never open the lock file of an id it holds itself (closing any channel releases the JVM's
 * locks on that file), so the id held by this JVM's store is passed in as {@code ownId} and always counts as
 * alive.
 */
final class SharedDirectory {
    private static final System.Logger LOG = System.getLogger(SharedDirectory.class.getName());
    static final String ARCHIVE = "archive.db";
    private static final String COMPACTION_LOCK = "compact.lock";
    private static final Pattern DATA_FILE = Pattern.compile("([a-z]+(?:_[a-z]+)?)_(\\d+(?:-\\d+)?)\\.db(\\.tmp)?");
    private static final Pattern LOCK_FILE = Pattern.compile("process_(\\d+(?:-\\d+)?)\\.lock");
    private static final int READ_ATTEMPTS = 5;
    /** A JVM cannot lock compact.lock twice, so its own compactions take turns here first. */
    private static final ReentrantLock COMPACTING = new ReentrantLock();

    private final Path path;
    private final String ownId;

    /** A process's file of one kind; temporary while it is being created. */
    record DataFile(Path path, String kind, String id, boolean temporary) {
    }

    /** The values of one source: a process's file, or the archive (id null). */
    record Source(String id, boolean alive, String kind, List<Entry> entries) {
    }

    /** An id this JVM holds: the lock stays held until {@link #close()}. */
    static final class Claim implements Closeable {
        final String id;
        private final FileChannel channel;
        private final FileLock lock;
        private final List<FileChannel> pinned;

        private Claim(String id, FileChannel channel, FileLock lock, List<FileChannel> pinned) {
            this.id = id;
            this.channel = channel;
            this.lock = lock;
            this.pinned = pinned;
        }

        @Override
        public void close() throws IOException {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
            for (FileChannel c : pinned) {
                c.close();
            }
        }
    }

    /** The lock of a dead process, held while its files are merged and removed; the lock file may be gone. */
    private record DeadProcess(String id, FileChannel channel, FileLock lock) implements Closeable {
        @Override
        public void close() throws IOException {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        }
    }

    SharedDirectory(Path path, String ownId) {
        this.path = path;
        this.ownId = ownId;
    }

    /**
     * The directory, if it is usable.
     *
     * @param source where the path came from, for the message, such as {@code PROMETHEUS_MULTIPROC_DIR}
     * @throws IllegalArgumentException naming the path and what is wrong with it
     */
    static Path validate(Path directory, String source) {
        Path absolute = directory.toAbsolutePath();
        String problem = !Files.exists(absolute) ? "does not exist"
                : !Files.isDirectory(absolute) ? "is not a directory"
                : !Files.isWritable(absolute) ? "is not writable" : null;
        if (problem != null) {
            throw new IllegalArgumentException("multi-process mode: " + source + " is " + absolute + ", which " + problem
                    + "; create the directory (shared by all processes of this scrape target) before starting");
        }
        return absolute;
    }

    Path path() {
        return path;
    }

    String ownId() {
        return ownId;
    }

    /**
     * Claims an id for a new process, with the pid first, and then merges the files of dead processes,
     * including any that a previous holder of the id left behind.
     */
    static Claim claim(Path path, long pid) throws IOException {
        return new SharedDirectory(path, null).claim(pid);
    }

    private Claim claim(long pid) throws IOException {
        return whileCompacting(true, () -> {
            List<FileChannel> pinned = new ArrayList<>();
            for (int n = 1; ; n++) {
                String id = n == 1 ? Long.toString(pid) : pid + "-" + n;
                FileChannel lockChannel = FileChannel.open(lockFile(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Another store of this JVM holds it; closing this channel would release that store's lock.
                    pinned.add(lockChannel);
                    continue;
                } catch (IOException e) {
                    lockChannel.close();
                    LOG.log(System.Logger.Level.WARNING, "multi-process mode: file locks do not work in " + path + " ("
                            + e + "); processes count as alive until MultiProcess.markProcessDead is called for them");
                    compactLocked(id, Set.of());
                    return new Claim(id, null, null, pinned);
                }
                if (lock != null) {
                    compactLocked(id, Set.of());
                    return new Claim(id, lockChannel, lock, pinned);
                }
                lockChannel.close();
            }
        });
    }

    /** True unless the process with this id is known to be dead. */
    boolean isAlive(String id) {
        if (id.equals(ownId)) {
            return true;
        }
        try (DeadProcess dead = lockIfDead(id, false)) {
            return dead == null;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Merges the files of dead processes into the archive and removes them, with the files of their
     * {@code live} gauges, info and state sets, and their lock files.
     *
     * @param wait         wait for a compaction of another process to finish instead of returning false
     * @param declaredDead ids to treat as dead even where file locks do not work (markProcessDead)
     * @return false if another compaction was running and {@code wait} was false
     */
    boolean compact(boolean wait, Set<String> declaredDead) throws IOException {
        return whileCompacting(wait, () -> {
            compactLocked(null, declaredDead);
            return true;
        }) != null;
    }

    private interface LockedWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs the work holding the compaction lock, first this JVM's and then the file lock against other
     * processes; returns null without running it if {@code wait} is false and the lock is taken.
     */
    private <T> T whileCompacting(boolean wait, LockedWork<T> work) throws IOException {
        if (wait) {
            COMPACTING.lock();
        } else if (!COMPACTING.tryLock()) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(path.resolve(COMPACTION_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                return null;
            }
            try (lock) {
                return work.run();
            }
        } finally {
            COMPACTING.unlock();
        }
    }

    /**
     * Does the compaction; the caller holds the compaction locks.
     *
     * @param heldId       an id whose lock the caller holds (a new process's), whose existing files a dead
     *                     predecessor left, or null
     * @param declaredDead ids to treat as dead even where file locks do not work
     */
    private void compactLocked(String heldId, Set<String> declaredDead) throws IOException {
        Map<String, List<DataFile>> filesById = new TreeMap<>();
        for (DataFile f : dataFiles()) {
            filesById.computeIfAbsent(f.id(), id -> new ArrayList<>()).add(f);
        }
        for (String id : lockIds()) {
            filesById.computeIfAbsent(id, i -> new ArrayList<>());
        }
        Path archivePath = path.resolve(ARCHIVE);
        Contents archive = readArchiveForCompaction(archivePath);
        Set<Long> absorbedBefore = new HashSet<>();
        for (long nonce : archive.absorbed()) {
            absorbedBefore.add(nonce);
        }
        Map<Key, Entry> merged = new LinkedHashMap<>();
        for (Entry e : archive.entries()) {
            merged.put(e.key(), e);
        }
        List<DeadProcess> dead = new ArrayList<>();
        List<Path> mergedFiles = new ArrayList<>();
        List<Long> absorbed = new ArrayList<>();
        try {
            for (Map.Entry<String, List<DataFile>> e : filesById.entrySet()) {
                String id = e.getKey();
                DeadProcess process;
                if (id.equals(heldId)) {
                    process = new DeadProcess(id, null, null);
                } else if (id.equals(ownId)) {
                    continue;
                } else {
                    process = lockIfDead(id, declaredDead.contains(id));
                    if (process == null) {
                        continue;
                    }
                }
                dead.add(process);
                for (DataFile f : e.getValue()) {
                    if (f.temporary() || Aggregation.isLive(f.kind())) {
                        Files.deleteIfExists(f.path());
                        continue;
                    }
                    Contents contents;
                    try {
                        contents = ValueFile.read(f.path());
                    } catch (NoSuchFileException gone) {
                        continue;
                    } catch (IOException damaged) {
                        Path aside = f.path().resolveSibling(f.path().getFileName() + ".damaged");
                        LOG.log(System.Logger.Level.WARNING, "multi-process mode: " + f.path() + " of a dead process "
                                + "cannot be read (" + damaged.getMessage() + "); its values are lost, the file is moved to " + aside);
                        Files.move(f.path(), aside, StandardCopyOption.REPLACE_EXISTING);
                        continue;
                    }
                    if (absorbedBefore.contains(contents.nonce())) {
                        Files.deleteIfExists(f.path()); // merged already; the last compaction stopped before removing it
                        continue;
                    }
                    for (Entry entry : contents.entries()) {
                        mergeInto(merged, withProcessLabel(entry, id));
                    }
                    absorbed.add(contents.nonce());
                    mergedFiles.add(f.path());
                }
            }
            if (!mergedFiles.isEmpty()) {
                long[] nonces = absorbed.stream().mapToLong(Long::longValue).toArray();
                ValueFile.writeArchive(archivePath, archive.generation() + 1, nonces, merged.values());
                for (Path f : mergedFiles) {
                    Files.deleteIfExists(f);
                }
            }
            for (DeadProcess process : dead) {
                if (!process.id().equals(heldId)) {
                    Files.deleteIfExists(lockFile(process.id())); // while still locked, so nobody claims it meanwhile
                }
            }
        } finally {
            for (DeadProcess process : dead) {
                process.close();
            }
        }
    }

    private static void mergeInto(Map<Key, Entry> merged, Entry entry) {
        Aggregation aggregation = Aggregation.of(entry.key().kind());
        if (aggregation != null) {
            merged.merge(entry.key(), entry, aggregation::combine);
        }
    }

    /** A per-process gauge keeps its process's id as the {@code pid} label once it is in the archive. */
    static Entry withProcessLabel(Entry entry, String id) {
        Key k = entry.key();
        if (!Aggregation.isPerProcess(k.kind())) {
            return entry;
        }
        return new Entry(new Key(k.kind(), k.family(), k.help(), k.unit(), k.sample(), k.labels().plus("pid", id)),
                entry.value(), entry.timestamp());
    }

    private Contents readArchiveForCompaction(Path archivePath) throws IOException {
        try {
            return ValueFile.read(archivePath);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        } catch (IOException e) {
            Path aside = archivePath.resolveSibling(ARCHIVE + ".damaged");
            LOG.log(System.Logger.Level.WARNING, "multi-process mode: the archive " + archivePath + " is damaged (" + e
                    + "); moved to " + aside + ", so the totals of processes that died before restart from zero");
            Files.move(archivePath, aside, StandardCopyOption.REPLACE_EXISTING);
            return Contents.EMPTY;
        }
    }

    /**
     * Every source a scrape aggregates: the archive and each process's files, read so that no value is
     * counted twice or missed while a compaction runs (the archive is read after the files; if it changed
     * while they were read, all is read again).
     *
     * @param onDamaged told of each file that cannot be read
     */
    List<Source> read(BiConsumer<Path, IOException> onDamaged) throws IOException {
        Path archivePath = path.resolve(ARCHIVE);
        Map<String, Boolean> alive = new HashMap<>();
        for (int attempt = 1; ; attempt++) {
            long before = archiveGeneration(archivePath, onDamaged);
            List<DataFile> files = dataFiles();
            List<Source> sources = new ArrayList<>();
            List<Long> nonces = new ArrayList<>();
            for (DataFile f : files) {
                if (f.temporary()) {
                    continue;
                }
                Contents contents;
                try {
                    contents = ValueFile.read(f.path());
                } catch (NoSuchFileException gone) {
                    continue;
                } catch (IOException damaged) {
                    onDamaged.accept(f.path(), damaged);
                    continue;
                }
                boolean live = !Aggregation.isLive(f.kind()) || alive.computeIfAbsent(f.id(), this::isAlive);
                sources.add(new Source(f.id(), live, f.kind(), contents.entries()));
                nonces.add(contents.nonce());
            }
            Contents archive = readArchive(archivePath, onDamaged);
            if (archive.generation() != before && attempt < READ_ATTEMPTS) {
                continue;
            }
            Set<Long> absorbed = new HashSet<>();
            for (long nonce : archive.absorbed()) {
                absorbed.add(nonce);
            }
            List<Source> result = new ArrayList<>();
            result.add(new Source(null, true, null, archive.entries()));
            for (int i = 0; i < sources.size(); i++) {
                if (!absorbed.contains(nonces.get(i))) {
                    result.add(sources.get(i));
                }
            }
            return result;
        }
    }

    private static long archiveGeneration(Path archivePath, BiConsumer<Path, IOException> onDamaged) {
        try {
            return ValueFile.generation(archivePath);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            onDamaged.accept(archivePath, e);
            return 0;
        }
    }

    private static Contents readArchive(Path archivePath, BiConsumer<Path, IOException> onDamaged) {
        try {
            return ValueFile.read(archivePath);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        } catch (IOException e) {
            onDamaged.accept(archivePath, e);
            return Contents.EMPTY;
        }
    }

    /**
     * Removes the files of the processes with these ids ({@code pid} and {@code pid-n}) that are not alive:
     * their counters, histograms, summaries and gauges of modes without {@code live} are merged into the
     * archive, the rest is dropped.
     *
     * @return the ids found alive, whose files are kept
     */
    Set<String> markDead(long pid) throws IOException {
        Predicate<String> matches = id -> id.equals(Long.toString(pid)) || id.startsWith(pid + "-");
        Set<String> ids = new HashSet<>();
        for (DataFile f : dataFiles()) {
            if (matches.test(f.id())) {
                ids.add(f.id());
            }
        }
        for (String id : lockIds()) {
            if (matches.test(id)) {
                ids.add(id);
            }
        }
        Set<String> alive = new HashSet<>();
        for (String id : ids) {
            if (id.equals(ownId)) {
                alive.add(id);
            } else {
                try (DeadProcess dead = lockIfDead(id, true)) {
                    if (dead == null) {
                        alive.add(id);
                    }
                }
            }
        }
        Set<String> declared = new HashSet<>(ids);
        declared.removeAll(alive);
        compact(true, declared);
        return alive;
    }

    /**
     * Removes the archive and every file of processes that are not alive.
     *
     * @return the ids found alive, whose files are kept
     */
    Set<String> clear() throws IOException {
        return whileCompacting(true, () -> {
            Set<String> alive = new HashSet<>();
            Map<String, List<DataFile>> filesById = new TreeMap<>();
            for (DataFile f : dataFiles()) {
                filesById.computeIfAbsent(f.id(), id -> new ArrayList<>()).add(f);
            }
            for (String id : lockIds()) {
                filesById.computeIfAbsent(id, i -> new ArrayList<>());
            }
            for (Map.Entry<String, List<DataFile>> e : filesById.entrySet()) {
                String id = e.getKey();
                try (DeadProcess dead = id.equals(ownId) ? null : lockIfDead(id, true)) {
                    if (dead == null) {
                        alive.add(id);
                        continue;
                    }
                    for (DataFile f : e.getValue()) {
                        Files.deleteIfExists(f.path());
                    }
                    Files.deleteIfExists(lockFile(id));
                }
            }
            Files.deleteIfExists(path.resolve(ARCHIVE));
            Files.deleteIfExists(path.resolve(ARCHIVE + ".tmp"));
            return alive;
        });
    }

    /**
     * The lock of this id if its process is dead: the lock could be taken, or there is no lock file. Null if
     * the process is alive, or if that is unknown and {@code unknownIsDead} is false.
     */
    private DeadProcess lockIfDead(String id, boolean unknownIsDead) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile(id), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return new DeadProcess(id, null, null);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DeadProcess(id, channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // Held by another store in this JVM (tests and benchmarks make several): alive.
        } catch (IOException e) {
            if (unknownIsDead) {
                return new DeadProcess(id, channel, null);
            }
        }
        channel.close();
        return null;
    }

    private Path lockFile(String id) {
        return path.resolve("process_" + id + ".lock");
    }

    /** The data files, sorted by name. */
    List<DataFile> dataFiles() throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (String name : fileNames()) {
            Matcher m = DATA_FILE.matcher(name);
            if (m.matches()) {
                files.add(new DataFile(path.resolve(name), m.group(1), m.group(2), m.group(3) != null));
            }
        }
        return files;
    }

    private List<String> lockIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String name : fileNames()) {
            Matcher m = LOCK_FILE.matcher(name);
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> list = Files.list(path)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
