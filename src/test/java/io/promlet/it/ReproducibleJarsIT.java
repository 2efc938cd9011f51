package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The cheap half of the reproducible-build check: every entry of every jar the build made carries
 * {@code project.build.outputTimestamp}, not the time of the build, so two builds of the same sources give the same
 * bytes. (The other half, two builds compared byte for byte, is in the README, "Releasing"; it costs a second build.)
 */
class ReproducibleJarsIT {

    @Test
    void everyJarEntryCarriesTheOutputTimestamp() throws IOException {
        FileTime expected = FileTime.from(Instant.parse(System.getProperty("promlet.outputTimestamp")));
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("promlet.target")))) {
            jars = files.filter(p -> p.getFileName().toString().matches("promlet-.*\\.jar")).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(6, jars.size(), "library, javax, their sources and Javadoc jars: " + jars);
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                TreeSet<String> other = zip.stream().filter(e -> !expected.equals(e.getLastModifiedTime()))
                        .map(e -> e.getName() + " " + e.getLastModifiedTime())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertTrue(zip.size() > 0, jar + " is empty");
                assertTrue(other.isEmpty(), jar + ": entries not at " + expected + ": " + other);
            }
        }
    }
}
