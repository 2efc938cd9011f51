package io.promlet.multiprocess;

import io.promlet.multiprocess.ValueFile.Contents;
import io.promlet.multiprocess.ValueFile.Entry;
import io.promlet.multiprocess.ValueFile.Key;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directory of the multi-process mode, and the rules all processes follow in it.
 *
 * <ul>
 * <li>{@code <kind>_<id>.db}: one process's values of one kind ({@code counter}, {@code histogram},
 *     {@code summary}, {@code info}, {@code stateset}, {@code gauge_<mode>}), in the {@link ValueFile} format.
 * <li>{@code archive.db}: the merged values of processes that have died, and the nonces of the files merged
 *     last, so that a file left behind by an interrupted compaction is not counted twice.
 * <li>{@code process_<id>.<jvm>.lock}: locked by the process with that id for as long as it lives. The
 *     operating system releases the lock however the process ends (kill -9 too), and it works between
 *     containers that share the directory but not their process ids, where {@code ProcessHandle} would not.
 * <li>{@code compact.lock}: locked while an id is claimed or dead processes are merged into the archive.
 * </ul>
 *
 * <p>An id is the pid, or {@code <pid>-2}, {@code <pid>-3}, ... while a live process in another PID namespace
 * (or another web application of the same JVM) holds the plain pid. Where file locks do not work (some
 * network file systems), every process counts as alive until {@link MultiProcess#markProcessDead(Path, long)}.
 *
 * <p>{@code <jvm>} identifies the JVM that holds the lock. A JVM must never open a lock file it holds itself,
 * through any copy of these classes (each web application of a servlet container has its own): closing the
 * channel would release the JVM's lock on that file. So a lock file that names this JVM counts as alive
 * unopened; the name is there from the file's creation, so there is no moment when it is not.
 */
final class SharedDirectory {
    private static final System.Logger LOG = System.getLogger(SharedDirectory.class.getName());
    static final String ARCHIVE = "archive.db";
    private static final String COMPACTION_LOCK = "compact.lock";
    private static final Pattern DATA_FILE = Pattern.compile("([a-z]+(?:_[a-z]+)?)_(\\d+(?:-\\d+)?)\\.db(\\.tmp)?");
    private static final Pattern LOCK_FILE = Pattern.compile("process_(\\d+(?:-\\d+)?)\\.([0-9a-z]+)\\.lock");
    private static final int READ_ATTEMPTS = 5;
    /** This JVM, the same in every class loader: its PID namespace, pid and start time. */
    static final String JVM = jvmToken();
    /** A JVM cannot lock compact.lock twice, so its own compactions take turns here first. */
    private static final ReentrantLock COMPACTING = new ReentrantLock();

    final Path path;
    private final String token;

    /** A process's file of one kind; temporary while it is being created. */
    static final class DataFile {
        final Path path;
        final String kind;
        final String id;
        final boolean temporary;

        DataFile(Path path, String kind, String id, boolean temporary) {
            this.path = path;
            this.kind = kind;
            this.id = id;
            this.temporary = temporary;
        }
    }

    /** A process's lock file, and the JVM that made it. */
    private static final class LockFile {
        final Path path;
        final String token;

        LockFile(Path path, String token) {
            this.path = path;
            this.token = token;
        }
    }

    /** The directory's files, from one listing. */
    private static final class Listing {
        final List<DataFile> dataFiles;
        final Map<String, List<LockFile>> lockFiles;

        Listing(List<DataFile> dataFiles, Map<String, List<LockFile>> lockFiles) {
            this.dataFiles = dataFiles;
            this.lockFiles = lockFiles;
        }

        Set<String> ids() {
            Set<String> ids = new TreeSet<>(lockFiles.keySet());
            dataFiles.forEach(f -> ids.add(f.id));
            return ids;
        }
    }

    /** The values of one source: a process's file, or the archive (id null). */
    static final class Source {
        final String id;
        final boolean alive;
        final List<Entry> entries;

        Source(String id, boolean alive, List<Entry> entries) {
            this.id = id;
            this.alive = alive;
            this.entries = entries;
        }
    }

    /** An id a store holds: the lock stays held until {@link #close()}. */
    static final class Claim implements Closeable {
        final String id;
        private final FileChannel channel;
        private final FileLock lock;

        private Claim(String id, FileChannel channel, FileLock lock) {
            this.id = id;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            if (lock != null) {
                lock.release();
            }
            channel.close();
        }
    }

    /**
     * A lock file as a compaction found it: the file's identity when it was opened, and the lock on it (null
     * where file locks do not work and the process is declared dead).
     */
    private static final class HeldFile {
        final Path path;
        final List<Object> identity;
        final FileLock lock;

        HeldFile(Path path, List<Object> identity, FileLock lock) {
            this.path = path;
            this.identity = identity;
            this.lock = lock;
        }
    }

    /**
     * Which file a name stands for, or null if there is none: a file removed and made again under the name is another
     * one, by its file key (device and inode, which a new file may reuse; null where the file system has none) and
     * creation time (where the file system keeps none, the modification time, as good for lock files, which are
     * never written).
     */
    private static List<Object> fileIdentity(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return Arrays.asList(attributes.fileKey(), attributes.creationTime());
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** The locks on a dead process's lock files, held while its files are merged and removed. */
    private static final class DeadProcess implements Closeable {
        final String id;
        private final List<HeldFile> files = new ArrayList<>();
        private final List<FileChannel> channels = new ArrayList<>();

        DeadProcess(String id) {
            this.id = id;
        }

        /**
         * Removes the lock files, while still locked so that nobody claims the id meanwhile, and only those still
         * under their names: a file that replaced one is a live process's, which must never lose it.
         */
        void deleteLockFiles() throws IOException {
            for (HeldFile f : files) {
                if ((f.lock == null || f.lock.isValid()) && f.identity.equals(fileIdentity(f.path))) {
                    Files.deleteIfExists(f.path);
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (FileChannel c : channels) {
                c.close(); // releases the lock
            }
        }
    }

    /**
     * @param token the JVM whose lock files count as alive without being opened: {@link #JVM}, except for the
     *              stores with which tests stand in for several processes
     */
    SharedDirectory(Path path, String token) {
        this.path = path;
        this.token = token;
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

    /**
     * Claims an id for a new process, the pid if it is free, and then merges the files of dead processes,
     * including any that an earlier holder of the id left behind.
     */
    Claim claim(long pid) throws IOException {
        return whileCompacting(() -> {
            Listing listing = listing();
            for (int n = 1; ; n++) {
                String id = n == 1 ? Long.toString(pid) : pid + "-" + n;
                DeadProcess predecessor = lockIfDead(id, listing, false);
                if (predecessor == null) {
                    continue;
                }
                FileChannel channel = FileChannel.open(path.resolve("process_" + id + "." + token + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = null;
                try {
                    lock = channel.tryLock();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "multi-process mode: file locks do not work in " + path + " ("
                            + e + "); processes count as alive until MultiProcess.markProcessDead is called for them");
                }
                compactLocked(predecessor, Set.of(), listing);
                return new Claim(id, channel, lock);
            }
        });
    }

    /**
     * Merges the files of dead processes into the archive and removes them, with the files of their
     * {@code live} gauges, info and state sets, and their lock files.
     *
     * @param declaredDead ids to treat as dead even where file locks do not work (markProcessDead)
     */
    void compact(Set<String> declaredDead) throws IOException {
        whileCompacting(() -> {
            compactLocked(null, declaredDead, listing());
            return null;
        });
    }

    private interface LockedWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs the work holding the compaction lock: first this JVM's (a JVM cannot lock one file twice), then the
     * file's against other processes.
     */
    private <T> T whileCompacting(LockedWork<T> work) throws IOException {
        COMPACTING.lock();
        try (FileChannel channel = FileChannel.open(path.resolve(COMPACTION_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                return work.run();
            } finally {
                lock.release();
            }
        } finally {
            COMPACTING.unlock();
        }
    }

    /**
     * The compaction; the caller holds the compaction locks.
     *
     * @param held         a dead process whose locks the caller holds, the earlier holder of a new process's
     *                     id, or null; closed here
     * @param declaredDead ids to treat as dead even where file locks do not work
     */
    private void compactLocked(DeadProcess held, Set<String> declaredDead, Listing listing) throws IOException {
        Map<String, List<DataFile>> filesById = new TreeMap<>();
        for (DataFile f : listing.dataFiles) {
            filesById.computeIfAbsent(f.id, id -> new ArrayList<>()).add(f);
        }
        Path archivePath = path.resolve(ARCHIVE);
        Contents archive = readArchiveForCompaction(archivePath);
        Set<Long> absorbedBefore = new HashSet<>();
        for (long nonce : archive.absorbed) {
            absorbedBefore.add(nonce);
        }
        Map<Key, Entry> merged = new LinkedHashMap<>();
        for (Entry e : archive.entries) {
            merged.put(e.key, e);
        }
        List<DeadProcess> dead = new ArrayList<>();
        if (held != null) {
            dead.add(held);
        }
        List<Path> mergedFiles = new ArrayList<>();
        List<Long> absorbed = new ArrayList<>();
        try {
            for (String id : listing.ids()) {
                if (held == null || !id.equals(held.id)) {
                    DeadProcess process = lockIfDead(id, listing, declaredDead.contains(id));
                    if (process == null) {
                        continue;
                    }
                    dead.add(process);
                }
                for (DataFile f : filesById.getOrDefault(id, List.of())) {
                    if (f.temporary || FileKind.isLive(f.kind)) {
                        Files.deleteIfExists(f.path);
                        continue;
                    }
                    Contents contents = contents(f.path, (file, damaged) -> moveAside(file, damaged,
                            "of a dead process cannot be read; its values are lost"));
                    warnOfDamagedEntries(f.path + " of a dead process", contents);
                    if (contents == null) {
                        continue;
                    }
                    if (absorbedBefore.contains(contents.nonce)) {
                        Files.deleteIfExists(f.path); // merged already; the last compaction stopped before removing it
                        continue;
                    }
                    for (Entry entry : contents.entries) {
                        FileKind kind = FileKind.named(entry.key.kind);
                        if (kind != null) {
                            Entry labelled = withProcessLabel(entry, id);
                            merged.merge(labelled.key, labelled, kind::combine);
                        }
                    }
                    absorbed.add(contents.nonce);
                    mergedFiles.add(f.path);
                }
            }
            if (!mergedFiles.isEmpty()) {
                long[] nonces = absorbed.stream().mapToLong(Long::longValue).toArray();
                ValueFile.writeArchive(archivePath, archive.generation + 1, nonces, merged.values());
                for (Path f : mergedFiles) {
                    Files.deleteIfExists(f);
                }
            }
            for (DeadProcess process : dead) {
                process.deleteLockFiles();
            }
        } finally {
            for (DeadProcess process : dead) {
                process.close();
            }
        }
    }

    /** A per-process gauge keeps its process's id as the {@code pid} label once it is in the archive. */
    static Entry withProcessLabel(Entry entry, String id) {
        Key k = entry.key;
        if (!FileKind.isPerProcess(k.kind)) {
            return entry;
        }
        return new Entry(new Key(k.kind, k.family, k.help, k.unit, k.sample, k.labels.plus("pid", id)),
                entry.value, entry.timestamp);
    }

    private static Contents readArchiveForCompaction(Path archivePath) throws IOException {
        Contents archive = contents(archivePath, (file, damaged) -> moveAside(file, damaged,
                "is damaged; the totals of processes that died before restart from zero"));
        warnOfDamagedEntries(archivePath.toString(), archive);
        return archive != null ? archive : Contents.EMPTY;
    }

    /** A compaction's warning about the entries a file it merges has lost, which the new archive no longer has. */
    private static void warnOfDamagedEntries(String file, Contents contents) {
        if (contents != null && contents.damage != null) {
            LOG.log(System.Logger.Level.WARNING, "multi-process mode: " + file + " has " + contents.damage
                    + ", left out of the archive");
        }
    }

    private static void moveAside(Path file, IOException problem, String consequence) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        LOG.log(System.Logger.Level.WARNING, "multi-process mode: " + file + " " + consequence + " (" + problem.getMessage()
                + "); moved to " + aside);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    }

    private interface OnDamaged {
        void accept(Path file, IOException problem) throws IOException;
    }

    /** A file's contents, or null if it is gone or damaged (then {@code onDamaged} is told). */
    private static Contents contents(Path file, OnDamaged onDamaged) throws IOException {
        try {
            return ValueFile.read(file);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException damaged) {
            onDamaged.accept(file, damaged);
            return null;
        }
    }

    /**
     * Every source a scrape aggregates: the archive and each process's files, read so that no value is
     * counted twice or missed while a compaction runs (the archive is read after the files; if it changed
     * while they were read, all is read again).
     *
     * @param onDamaged told of each file that cannot be read or has damaged entries, and what the scrape skips
     */
    List<Source> read(BiConsumer<Path, String> onDamaged) throws IOException {
        Path archivePath = path.resolve(ARCHIVE);
        for (int attempt = 1; ; attempt++) {
            long before = archiveGeneration(archivePath, onDamaged);
            Listing listing = listing();
            Map<String, Boolean> alive = new HashMap<>();
            List<Source> sources = new ArrayList<>();
            List<Long> nonces = new ArrayList<>();
            for (DataFile f : listing.dataFiles) {
                if (f.temporary) {
                    continue;
                }
                Contents contents = contentsForScrape(f.path, onDamaged);
                if (contents == null) {
                    continue;
                }
                boolean live = !FileKind.isLive(f.kind) || alive.computeIfAbsent(f.id, id -> isAlive(id, listing));
                sources.add(new Source(f.id, live, contents.entries));
                nonces.add(contents.nonce);
            }
            Contents archive = contentsForScrape(archivePath, onDamaged);
            if (archive == null) {
                archive = Contents.EMPTY;
            }
            if (archive.generation != before && attempt < READ_ATTEMPTS) {
                continue;
            }
            Set<Long> absorbed = new HashSet<>();
            for (long nonce : archive.absorbed) {
                absorbed.add(nonce);
            }
            List<Source> result = new ArrayList<>();
            result.add(new Source(null, true, archive.entries));
            for (int i = 0; i < sources.size(); i++) {
                if (!absorbed.contains(nonces.get(i))) {
                    result.add(sources.get(i));
                }
            }
            return result;
        }
    }

    /** A file's contents for a scrape, or null if it is gone or cannot be read. */
    private static Contents contentsForScrape(Path file, BiConsumer<Path, String> onDamaged) throws IOException {
        Contents contents = contents(file, (f, damaged) -> onDamaged.accept(f, unreadable(damaged)));
        if (contents != null && contents.damage != null) {
            onDamaged.accept(file, "has " + contents.damage + ", skipped");
        }
        return contents;
    }

    private static String unreadable(IOException problem) {
        return "cannot be read and is skipped: " + problem.getMessage();
    }

    private static long archiveGeneration(Path archivePath, BiConsumer<Path, String> onDamaged) {
        try {
            return ValueFile.generation(archivePath);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            onDamaged.accept(archivePath, unreadable(e));
            return 0;
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
        Listing listing = listing();
        Set<String> alive = new TreeSet<>();
        Set<String> declared = new HashSet<>();
        for (String id : listing.ids()) {
            if (id.equals(Long.toString(pid)) || id.startsWith(pid + "-")) {
                try (DeadProcess dead = lockIfDead(id, listing, true)) {
                    (dead == null ? alive : declared).add(id);
                }
            }
        }
        compact(declared);
        return alive;
    }

    /**
     * Removes every file, the archive too, so that counters start from zero; if some process is alive, it
     * removes nothing and only merges the dead processes into the archive, as its totals would drop otherwise.
     *
     * @return the ids found alive
     */
    Set<String> clear() throws IOException {
        return whileCompacting(() -> {
            Listing listing = listing();
            Set<String> alive = new TreeSet<>();
            List<DeadProcess> dead = new ArrayList<>();
            try {
                for (String id : listing.ids()) {
                    DeadProcess process = lockIfDead(id, listing, true);
                    if (process == null) {
                        alive.add(id);
                    } else {
                        dead.add(process);
                    }
                }
                if (alive.isEmpty()) {
                    for (DataFile f : listing.dataFiles) {
                        Files.deleteIfExists(f.path);
                    }
                    for (DeadProcess process : dead) {
                        process.deleteLockFiles();
                    }
                    try (Stream<Path> files = Files.list(path)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            String name = f.getFileName().toString();
                            if (name.startsWith(ARCHIVE) || name.endsWith(".damaged")) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                    return alive;
                }
            } finally {
                for (DeadProcess process : dead) {
                    process.close();
                }
            }
            compactLocked(null, Set.of(), listing());
            return alive;
        });
    }

    private boolean isAlive(String id, Listing listing) {
        try (DeadProcess dead = lockIfDead(id, listing, false)) {
            return dead == null;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The locks of this id's lock files if its process is dead: each could be taken, or there are none.
     * Null if the process is alive, or if that is unknown and {@code unknownIsDead} is false.
     */
    private DeadProcess lockIfDead(String id, Listing listing, boolean unknownIsDead) throws IOException {
        DeadProcess dead = new DeadProcess(id);
        try {
            for (LockFile f : listing.lockFiles.getOrDefault(id, List.of())) {
                if (f.token.equals(token)) {
                    dead.close();
                    return null;
                }
                // Its identity first: should another file take the name before the open, it is not removed.
                List<Object> identity = fileIdentity(f.path);
                if (identity == null) {
                    continue;
                }
                FileChannel channel;
                try {
                    channel = FileChannel.open(f.path, StandardOpenOption.WRITE);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                dead.channels.add(channel);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // a test's stand-in process in this JVM
                } catch (IOException e) {
                    if (unknownIsDead) {
                        dead.files.add(new HeldFile(f.path, identity, null));
                        continue;
                    }
                    lock = null;
                }
                if (lock == null) {
                    dead.close();
                    return null;
                }
                dead.files.add(new HeldFile(f.path, identity, lock));
            }
            return dead;
        } catch (IOException | RuntimeException e) {
            dead.close();
            throw e;
        }
    }

    private Listing listing() throws IOException {
        List<String> names;
        try (Stream<Path> list = Files.list(path)) {
            names = list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        List<DataFile> dataFiles = new ArrayList<>();
        Map<String, List<LockFile>> lockFiles = new TreeMap<>();
        for (String name : names) {
            Matcher data = DATA_FILE.matcher(name);
            Matcher lock = LOCK_FILE.matcher(name);
            if (data.matches()) {
                dataFiles.add(new DataFile(path.resolve(name), data.group(1), data.group(2), data.group(3) != null));
            } else if (lock.matches()) {
                lockFiles.computeIfAbsent(lock.group(1), id -> new ArrayList<>())
                        .add(new LockFile(path.resolve(name), lock.group(2)));
            }
        }
        return new Listing(dataFiles, lockFiles);
    }

    /**
     * This JVM's identity, the same for every class loader that asks: a hash of its PID namespace (so that two
     * containers' pid 1 differ), pid and start time. Without a start time, a random value: then other web
     * applications of the JVM cannot tell its locks from another process's.
     */
    private static String jvmToken() {
        ProcessHandle self = ProcessHandle.current();
        String namespace;
        try {
            namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            namespace = "";
        }
        String start = self.info().startInstant().map(Object::toString)
                .orElseGet(() -> Long.toString(ThreadLocalRandom.current().nextLong()));
        long hash = 0xcbf29ce484222325L; // FNV-1a
        for (byte b : (namespace + "/" + self.pid() + "/" + start).getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return Long.toString(hash >>> 1, 36);
    }
}
