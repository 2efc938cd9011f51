package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;

import io.promlet.TestStores;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

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
}
