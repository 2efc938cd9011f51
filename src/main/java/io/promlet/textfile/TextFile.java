package io.promlet.textfile;

import io.promlet.Collector;
import io.promlet.exposition.TextFormat;
import io.promlet.model.MetricFamily;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes metrics in the text format to a file, for node_exporter's textfile collector
 * ({@code --collector.textfile.directory}): the way for cron jobs and scripts on a host to expose metrics.
 *
 * <pre>{@code
 * CollectorRegistry registry = new CollectorRegistry();
 * Gauge lastRun = Gauge.builder().name("backup_last_success_timestamp_seconds").help("Last good backup.").register(registry);
 * runBackup();
 * lastRun.setToCurrentTime();
 * TextFile.write(Path.of("/var/lib/node_exporter/textfile/backup.prom"), registry);
 * }</pre>
 */
public final class TextFile {
    private TextFile() {
    }

    /**
     * Writes the collector's metrics to the file atomically: to a temporary file in the same directory, forced
     * to disk, then moved over the target in one step. A reader sees the old content or the new, never a part.
     * node_exporter reads only files ending in {@code .prom}; the temporary file does not.
     *
     * @param file      the target, such as {@code /var/lib/node_exporter/textfile/job.prom}
     * @param collector what to write, usually a {@code CollectorRegistry}
     * @throws IOException if writing or moving fails (the file system cannot move atomically, say); the
     *                     temporary file is removed and the target left as it was
     */
    public static void write(Path file, Collector collector) throws IOException {
        Objects.requireNonNull(file, "file");
        List<MetricFamily> families = collector.collect();
        Path target = file.toAbsolutePath();
        // Hidden and not ending in .prom, so node_exporter skips it; random, so concurrent writers do not collide.
        Path temp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            // Not Files.createTempFile: it makes the file owner-only, and node_exporter often runs as another user.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                TextFormat.write(out, families);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
