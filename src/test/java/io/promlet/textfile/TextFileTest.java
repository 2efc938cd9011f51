package io.promlet.textfile;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.tools.ExpositionLines;
import io.promlet.tools.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFileTest {
    private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";

    @TempDir
    Path dir;

    @Test
    void nodeExporterServesTheWrittenFile() throws Exception {
        RealTools.require(NODE_EXPORTER);
        CollectorRegistry registry = new CollectorRegistry();
        Gauge lastSuccess = Gauge.builder().name("backup_last_success_timestamp_seconds").help("Last good backup.")
                .labelNames("volume").register(registry);
        Counter files = Counter.builder().name("backup_files_total").help("Files backed up.").register(registry);
        lastSuccess.labels("data \"main\"").set(1.7e9);
        files.inc(42);
        Path file = dir.resolve("backup.prom");
        TextFile.write(file, registry);

        int port = RealTools.freePort();
        Path log = Files.createTempFile("node-exporter", ".log");
        Process exporter = RealTools.start(List.of(NODE_EXPORTER, "--collector.disable-defaults",
                "--collector.textfile", "--collector.textfile.directory=" + dir,
                "--web.listen-address=127.0.0.1:" + port), log);
        try {
            String url = "http://127.0.0.1:" + port + "/metrics";
            RealTools.awaitReady(exporter, url, log);
            ExpositionLines metrics = ExpositionLines.parse(RealTools.get(url));
            assertEquals(Optional.of(1.7e9), metrics.value("backup_last_success_timestamp_seconds",
                    Map.of("volume", "data \"main\"")));
            assertEquals(Optional.of(42.0), metrics.value("backup_files_total", Map.of()));
            assertEquals(Optional.of(0.0), metrics.value("node_textfile_scrape_error", Map.of()));
            assertTrue(metrics.value("node_textfile_mtime_seconds", Map.of("file", file.toString())).isPresent()
                            || metrics.value("node_textfile_mtime_seconds", Map.of("file", "backup.prom")).isPresent(),
                    "node_exporter saw exactly our file");

            files.inc(8);
            TextFile.write(file, registry);
            assertEquals(Optional.of(50.0), ExpositionLines.parse(RealTools.get(url)).value("backup_files_total", Map.of()));
            assertEquals(List.of(file), listDir(), "no temporary file left behind");
        } finally {
            RealTools.stop(exporter);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aReaderNeverSeesAPartialFile() throws Exception {
        int gauges = 200;
        int rewrites = 2000;
        CollectorRegistry registry = new CollectorRegistry();
        List<Gauge> values = new ArrayList<>();
        for (int i = 0; i < gauges; i++) {
            values.add(Gauge.builder().name("value_" + i).help("Value " + i + ".").register(registry));
        }
        Gauge last = Gauge.builder().name("zz_last_line").help("Written last.").register(registry);
        Path file = dir.resolve("busy.prom");
        TextFile.write(file, registry);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                while (writing.get() && problems.isEmpty()) {
                    try {
                        String text = Files.readString(file);
                        List<ExpositionLines.Line> lines = ExpositionLines.parse(text).all();
                        double first = lines.get(0).value();
                        if (lines.size() != gauges + 1 || !text.endsWith("\n")
                                || !lines.get(gauges).name().equals("zz_last_line")
                                || lines.stream().anyMatch(l -> l.value() != first)) {
                            problems.add("torn or mixed file:\n" + text);
                        }
                        reads.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        problems.add(e.toString());
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        try {
            for (int n = 1; n <= rewrites && problems.isEmpty(); n++) {
                for (Gauge g : values) {
                    g.set(n);
                }
                last.set(n);
                TextFile.write(file, registry);
            }
        } finally {
            writing.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(reads.get() > 0, "the readers read");
        assertEquals(Optional.of((double) rewrites), ExpositionLines.parse(Files.readString(file)).value("zz_last_line", Map.of()));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void theFileIsAsReadableAsAnyOtherTheProcessCreates() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path file = dir.resolve("perm.prom");
        TextFile.write(file, new CollectorRegistry());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void aFailingCollectorLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("old.prom");
        Files.writeString(file, "old 1\n");
        CollectorRegistry broken = new CollectorRegistry();
        AtomicBoolean fail = new AtomicBoolean();
        broken.register(() -> {
            if (fail.get()) {
                throw new IllegalStateException("collector bug");
            }
            return List.of();
        });
        fail.set(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TextFile.write(file, broken));
        assertEquals("collector bug", e.getMessage());
        assertEquals("old 1\n", Files.readString(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void aFailedMoveRemovesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken.prom"));
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(IOException.class, () -> TextFile.write(target, new CollectorRegistry()));
        assertEquals(List.of(target), listDir());
    }

    @Test
    void aMissingDirectoryIsAnIOException() {
        assertThrows(NoSuchFileException.class, () -> TextFile.write(dir.resolve("no/such/dir/x.prom"), new CollectorRegistry()));
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
