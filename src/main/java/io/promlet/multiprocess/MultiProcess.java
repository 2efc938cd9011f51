package io.promlet.multiprocess;

import io.promlet.internal.ProcessStore;
import io.promlet.internal.ValueStore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The multi-process mode, for several JVMs that serve one host and one scrape target: workers behind a
 * local proxy, container instances sharing a volume, short-lived JVMs that add to shared counters. Every
 * process writes its values into memory-mapped files in a shared directory, and the process that answers
 * the scrape aggregates them all with a {@link MultiProcessCollector}.
 *
 * <p>The mode is chosen once per process, when the first metric is created (or an endpoint asks
 * {@link io.promlet.CollectorRegistry#defaultScrapeRegistry()}), by the first of:
 * <ol>
 * <li>{@link #enable(Path)}, called before that;
 * <li>the system property {@value #SYSTEM_PROPERTY};
 * <li>the environment variable {@value #ENVIRONMENT_VARIABLE}.
 * </ol>
 * Each names an existing, writable directory that all processes of the target share. If none is set,
 * values stay in memory.
 *
 * <pre>{@code
 * // PROMETHEUS_MULTIPROC_DIR=/var/run/myapp-metrics in every worker's environment, then as usual:
 * Counter requests = Counter.builder().name("requests_total").help("Requests.").register();
 * Gauge inFlight = Gauge.builder().name("in_flight").help("Requests in progress.")
 *         .multiProcessMode(Gauge.MultiProcessMode.LIVESUM).register();
 *
 * // in whichever process answers the scrape: HTTPServer.start(9400) serves all processes' metrics, or
 * CollectorRegistry scraped = new CollectorRegistry();
 * scraped.register(new MultiProcessCollector());
 * }</pre>
 *
 * <p>A process counts as alive while it holds the lock on its {@code process_<pid>.<jvm>.lock} file, which
 * the operating system releases when the process ends in any way, kill -9 included; this also works between
 * containers that share the directory but not their process ids. Each new process merges the files of dead
 * ones into one archive file, so the directory and the cost of a scrape do not grow as workers restart.
 * Where file locks do not work (some network file systems), processes count as alive until
 * {@link #markProcessDead(long)}.
 *
 * <p>Not supported in this mode, failing with an {@link IllegalArgumentException} that names the metric:
 * {@link io.promlet.Gauge.Child#setFunction}, summary quantiles. Exemplars and {@code _created} samples are not shown.
 * {@code remove()} and {@code clear()} drop children in this process only: their values stay in the files.
 */
public final class MultiProcess {
    private static final System.Logger LOG = System.getLogger(MultiProcess.class.getName());
    /** The environment variable naming the directory: {@value}. */
    public static final String ENVIRONMENT_VARIABLE = "PROMETHEUS_MULTIPROC_DIR";
    /** The system property naming the directory, taking precedence over the environment variable: {@value}. */
    public static final String SYSTEM_PROPERTY = "promlet.multiproc.dir";

    private MultiProcess() {
    }

    /**
     * Turns the mode on for this process, with this directory. Call it before the first metric is created
     * (in {@code main}, or a {@code ServletContainerInitializer}); it overrides the system property and the
     * environment variable. Calling it again with the same directory does nothing.
     *
     * @throws IllegalArgumentException if the directory does not exist, is not a directory or is not writable
     * @throws IllegalStateException    if metrics were already created in memory or with another directory
     * @throws UncheckedIOException     if the directory's files cannot be created
     */
    public static void enable(Path directory) {
        Objects.requireNonNull(directory, "directory");
        ValueStore store = ProcessStore.choose(() -> open(directory, "the directory given to MultiProcess.enable"));
        Optional<Path> current = directoryOf(store);
        if (current.isPresent() && sameFile(current.get(), directory)) {
            return;
        }
        throw new IllegalStateException("multi-process mode: cannot enable it with " + directory.toAbsolutePath()
                + ": metrics were already created " + current.map(p -> "with the directory " + p).orElse("in memory")
                + "; call MultiProcess.enable before the first metric is created");
    }

    /**
     * The directory of this process's multi-process mode, or empty if the mode is off. Decides the mode if no
     * metric has been created yet.
     */
    public static Optional<Path> directory() {
        return directoryOf(ProcessStore.get());
    }

    /**
     * Removes the files of a process that has ended, in this process's directory: see
     * {@link #markProcessDead(Path, long)}.
     *
     * @throws IllegalStateException if the mode is off
     */
    public static boolean markProcessDead(long pid) throws IOException {
        return markProcessDead(requireDirectory(), pid);
    }

    /**
     * Removes the files of a process that has ended: its gauges of the {@code live} modes, its info and state
     * set values disappear from scrapes, and its counters, histograms, summaries and other gauges are merged
     * into the archive, so totals stay. Processes are noticed dead without this where file locks work; call
     * it from a stop script where they do not. A process that still holds its lock is left alone.
     *
     * @return false if the process is still alive, so nothing was removed
     * @throws IllegalArgumentException if the directory is not usable
     */
    public static boolean markProcessDead(Path directory, long pid) throws IOException {
        return aliveAfterMarkingDead(directory, pid).isEmpty();
    }

    private static Set<String> aliveAfterMarkingDead(Path directory, long pid) throws IOException {
        Path valid = SharedDirectory.validate(directory, "the directory given to markProcessDead");
        return new SharedDirectory(valid, SharedDirectory.JVM).markDead(pid);
    }

    /**
     * Empties this process's directory, for a start-up script: see {@link #clearDirectory(Path)}.
     *
     * @throws IllegalStateException if the mode is off
     */
    public static boolean clearDirectory() throws IOException {
        return clearDirectory(requireDirectory());
    }

    /**
     * Empties the directory before the processes of a target start, so that their counters start from zero.
     * If some process is alive, it empties nothing (the target's totals would drop) and only merges the files
     * of dead processes into the archive.
     *
     * @return false if some process was alive, so nothing was removed
     * @throws IllegalArgumentException if the directory is not usable
     */
    public static boolean clearDirectory(Path directory) throws IOException {
        Set<String> alive = aliveAfterClearing(directory);
        if (!alive.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "multi-process mode: " + notCleared(directory, alive));
        }
        return alive.isEmpty();
    }

    private static Set<String> aliveAfterClearing(Path directory) throws IOException {
        Path valid = SharedDirectory.validate(directory, "the directory given to clearDirectory");
        return new SharedDirectory(valid, SharedDirectory.JVM).clear();
    }

    private static String notCleared(Path directory, Set<String> alive) {
        return "not clearing " + directory.toAbsolutePath() + ": the processes " + alive
                + " are alive; merged the dead ones into the archive instead";
    }

    /**
     * Runs {@link #clearDirectory(Path)} or {@link #markProcessDead(Path, long)} from a start or stop script:
     *
     * <pre>
     * java -cp promlet.jar io.promlet.multiprocess.MultiProcess clear [directory]
     * java -cp promlet.jar io.promlet.multiprocess.MultiProcess dead &lt;pid&gt; [directory]
     * </pre>
     *
     * The directory defaults to the system property or the environment variable. Exits with 0 when done, 1
     * when a live process's files were kept, 2 on a usage or I/O error; the last two print one line to stderr
     * saying so.
     */
    public static void main(String... args) {
        System.exit(run(System.err, args));
    }

    /** The command of {@link #main}, its messages one line each to {@code err}; returns the exit status. */
    static int run(PrintStream err, String... args) {
        try {
            return command(err, args) ? 0 : 1;
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static boolean command(PrintStream err, String... args) throws IOException {
        boolean clear = args.length >= 1 && args[0].equals("clear") && args.length <= 2;
        boolean dead = args.length >= 2 && args[0].equals("dead") && args.length <= 3;
        if (!clear && !dead) {
            throw new IllegalArgumentException("usage: MultiProcess clear [directory] | MultiProcess dead <pid> [directory]");
        }
        int directoryArg = clear ? 1 : 2;
        Path directory = args.length > directoryArg ? Path.of(args[directoryArg])
                : configured().orElseThrow(() -> new IllegalArgumentException(
                "no directory given, and neither " + SYSTEM_PROPERTY + " nor " + ENVIRONMENT_VARIABLE + " is set"));
        // A refusal is one line on stderr, as scripts expect of a command, rather than the logger's record.
        if (clear) {
            Set<String> alive = aliveAfterClearing(directory);
            if (!alive.isEmpty()) {
                err.println(notCleared(directory, alive));
            }
            return alive.isEmpty();
        }
        long pid;
        try {
            pid = Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a pid: " + args[1]);
        }
        Set<String> alive = aliveAfterMarkingDead(directory, pid);
        if (!alive.isEmpty()) {
            err.println("process " + pid + " is alive (it holds its lock file, as " + alive + "); nothing was removed");
        }
        return alive.isEmpty();
    }

    /** The store the system property or the environment variable asks for, or null if neither is set. */
    static MappedValueStore openConfigured() {
        String property = System.getProperty(SYSTEM_PROPERTY);
        String source = property != null ? "the system property " + SYSTEM_PROPERTY : ENVIRONMENT_VARIABLE;
        return configured().map(dir -> open(dir, source)).orElse(null);
    }

    private static Optional<Path> configured() {
        String property = System.getProperty(SYSTEM_PROPERTY);
        String value = property != null ? property : System.getenv(ENVIRONMENT_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static Optional<Path> directoryOf(ValueStore store) {
        return store instanceof MappedValueStore ? Optional.of(((MappedValueStore) store).directory()) : Optional.empty();
    }

    private static Path requireDirectory() {
        return directory().orElseThrow(() -> new IllegalStateException("multi-process mode is off: set "
                + ENVIRONMENT_VARIABLE + " or " + SYSTEM_PROPERTY + ", or call MultiProcess.enable, or name the directory"));
    }

    private static MappedValueStore open(Path directory, String source) {
        Path valid = SharedDirectory.validate(directory, source);
        try {
            return new MappedValueStore(valid);
        } catch (IOException e) {
            throw new UncheckedIOException("multi-process mode: cannot set up " + valid + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
