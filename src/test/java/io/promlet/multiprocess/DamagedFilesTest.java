package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;

import io.promlet.TestStores;
import io.promlet.exposition.TextFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the Python client fails the whole scrape, a damaged file costs only its own values and one warning. */
class DamagedFilesTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StandInProcesses processes = new StandInProcesses();

    @Test
    void damagedFilesAreSkippedWithOneWarningEachAndTheRestIsServed() throws IOException {
        MappedValueStore live = processes.start(dir, 9_200_000);
        Counter counter = TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs."), live).register(new CollectorRegistry());
        counter.inc(3);
        Path good = dir.resolve("counter_9200000.db");

        Files.createFile(dir.resolve("counter_9200001.db"));                        // empty
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        Files.write(dir.resolve("histogram_9200002.db"), garbage);                   // not this format
        Path truncated = dir.resolve("counter_9200003.db");                          // cut short
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(good), 60));
        Path badEntry = dir.resolve("counter_9200004.db");                           // an entry's key length is absurd
        Files.copy(good, badEntry);
        try (FileChannel ch = FileChannel.open(badEntry, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1 << 20), ValueFile.HEADER);
        }
        Files.createFile(dir.resolve("counter_9200005.db.tmp"));                     // creation never finished

        CollectorRegistry registry = new CollectorRegistry();
        // The collector's names are unknown, so registration reads no file: the first scrape warns.
        List<String> first = LogCapture.warnings(() -> {
            registry.register(new MultiProcessCollector(dir));
            assertEquals(3.0, registry.getSampleValue("jobs_total"));
        });
        List<String> later = LogCapture.warnings(() -> {
            assertEquals(3.0, registry.getSampleValue("jobs_total"));
            assertEquals(3.0, registry.getSampleValue("jobs_total"));
        });
        assertEquals(4, first.size(), first.toString());
        for (String name : List.of("counter_9200001.db", "histogram_9200002.db", "counter_9200003.db", "counter_9200004.db")) {
            assertEquals(1, first.stream().filter(m -> m.contains(name)).count(), name + " in " + first);
        }
        assertTrue(later.isEmpty(), later.toString());

        // The next process to start moves the damaged files of dead processes aside, once, and removes the
        // unfinished one.
        List<String> compaction = LogCapture.warnings(() -> processes.start(dir, 9_200_010));
        assertEquals(4, compaction.size(), compaction.toString());
        assertTrue(Files.exists(dir.resolve("counter_9200001.db.damaged")));
        assertFalse(Files.exists(dir.resolve("counter_9200005.db.tmp")));
        List<String> after = LogCapture.warnings(() -> assertEquals(3.0, registry.getSampleValue("jobs_total")));
        assertTrue(after.isEmpty(), after.toString());
    }

    @Test
    void aDamagedArchiveIsMovedAsideOnceAndCountingGoesOn() throws IOException {
        MappedValueStore dead = processes.start(dir, 9_200_001);
        TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs."), dead).register(new CollectorRegistry()).inc(2);
        dead.close();
        processes.start(dir, 9_200_002); // merges the dead process into the archive
        MultiProcessCollector collector = new MultiProcessCollector(dir);
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(collector);
        assertEquals(2.0, registry.getSampleValue("jobs_total"));

        Files.write(dir.resolve("archive.db"), new byte[] {1, 2, 3});
        List<String> warnings = LogCapture.warnings(() -> {
            collector.collect();
            collector.collect();
        });
        assertEquals(1, warnings.size(), warnings.toString());
        MappedValueStore[] next = new MappedValueStore[1];
        warnings = LogCapture.warnings(() -> next[0] = processes.start(dir, 9_200_003));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(Files.exists(dir.resolve("archive.db.damaged")));
        TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs."), next[0]).register(new CollectorRegistry()).inc();
        assertEquals(1.0, registry.getSampleValue("jobs_total"));
    }

    /**
     * Damaged key bytes inside one entry (a label name {@code route} become {@code ro"te}, a value that is not
     * UTF-8) cost that entry only: the other processes' values of the same metric and the file's other
     * entries are served, whichever file comes first, with one warning for the file.
     */
    @Test
    void anEntryWithDamagedKeyBytesCostsOnlyItself() throws IOException {
        for (long damagedPid : new long[] {9_200_021, 9_200_022}) {
            Path sub = Files.createDirectory(dir.resolve("damaged-" + damagedPid));
            List<MappedValueStore> stores = new ArrayList<>();
            for (long pid : new long[] {9_200_021, 9_200_022}) {
                CollectorRegistry own = new CollectorRegistry();
                MappedValueStore store = processes.start(sub, pid);
                stores.add(store);
                Counter requests = TestStores.valueStore(Counter.builder().name("requests_total").help("Requests.")
                        .labelNames("route"), store).register(own);
                requests.labels("/a").inc(pid == damagedPid ? 5 : 2);
                requests.labels("/\u00e9").inc(pid == damagedPid ? 7 : 3);
                TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs."), store).register(own).inc(4);
            }
            Path damaged = sub.resolve("counter_" + damagedPid + ".db");
            byte[] bytes = Files.readAllBytes(damaged);
            replaceFirst(bytes, "route".getBytes(StandardCharsets.UTF_8), "ro\"te".getBytes(StandardCharsets.UTF_8));
            replaceFirst(bytes, "/\u00e9".getBytes(StandardCharsets.UTF_8), new byte[] {'/', (byte) 0xc3, (byte) 0xff});
            Files.write(damaged, bytes);

            CollectorRegistry registry = new CollectorRegistry();
            registry.register(new MultiProcessCollector(sub));
            List<String> warnings = LogCapture.warnings(() -> {
                assertEquals(2.0, registry.getSampleValue("requests_total", new String[] {"route"}, new String[] {"/a"}));
                assertEquals(3.0, registry.getSampleValue("requests_total", new String[] {"route"}, new String[] {"/\u00e9"}));
                assertEquals(8.0, registry.getSampleValue("jobs_total"));
            });
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(damaged.getFileName().toString()), warnings.get(0));
            String text = TextFormat.generateLatest(registry);
            assertFalse(text.contains("ro\"te"), text);

            // Both die; the next process to start merges what was sound into the archive, and says what it left out.
            for (MappedValueStore store : stores) {
                store.close();
            }
            List<String> compaction = LogCapture.warnings(() -> processes.start(sub, 9_200_023));
            assertEquals(1, compaction.size(), compaction.toString());
            assertTrue(compaction.get(0).contains("left out of the archive"), compaction.get(0));
            assertEquals(2.0, registry.getSampleValue("requests_total", new String[] {"route"}, new String[] {"/a"}));
            assertEquals(8.0, registry.getSampleValue("jobs_total"));
        }
    }

    /**
     * A file that shrinks while a scrape has it mapped makes reading it fault (SIGBUS, which the JVM turns into
     * an InternalError): the scrape skips the file with a warning and serves the rest.
     */
    @Test
    void aFileTruncatedWhileScrapesReadItIsSkippedAndNoScrapeFails() throws Exception {
        MappedValueStore live = processes.start(dir, 9_200_032);
        TestStores.valueStore(Counter.builder().name("jobs_total").help("Jobs."), live).register(new CollectorRegistry()).inc(4);
        MappedValueStore dead = processes.start(dir, 9_200_031);
        Counter requests = TestStores.valueStore(Counter.builder().name("requests_total").help("Requests.")
                .labelNames("route"), dead).register(new CollectorRegistry());
        for (int i = 0; i < 2000; i++) {
            requests.labels("/route/" + i).inc();
        }
        dead.close();
        Path file = dir.resolve("counter_9200031.db");
        assertTrue(Files.exists(file), "a dead process's file, not yet merged");
        byte[] original = Files.readAllBytes(file);

        AtomicBoolean scraping = new AtomicBoolean(true);
        Thread truncating = new Thread(() -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                while (scraping.get()) {
                    ch.truncate(ValueFile.HEADER + 64);
                    ch.write(ByteBuffer.wrap(original), 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new MultiProcessCollector(dir));
        truncating.start();
        try {
            LogCapture.warnings(() -> {
                for (int scrape = 0; scrape < 600; scrape++) {
                    assertEquals(4.0, registry.getSampleValue("jobs_total"), "scrape " + scrape);
                }
            });
        } finally {
            scraping.set(false);
            truncating.join();
        }
    }

    private static void replaceFirst(byte[] bytes, byte[] what, byte[] with) {
        for (int i = 0; i + what.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + what.length, what, 0, what.length)) {
                System.arraycopy(with, 0, bytes, i, with.length);
                return;
            }
        }
        throw new AssertionError("not found: " + new String(what, StandardCharsets.UTF_8));
    }
}
