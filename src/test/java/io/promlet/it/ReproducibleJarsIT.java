package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproducible builds: every entry of every jar the build made carries {@code project.build.outputTimestamp}, not the
 * time of the build, and a second build of the same sources, in another directory, gives the same bytes.
 */
class ReproducibleJarsIT {

    @Test
    void everyJarEntryCarriesTheOutputTimestamp() throws IOException {
        FileTime expected = FileTime.from(Instant.parse(System.getProperty("it.outputTimestamp")));
        List<Path> jars = jars(Path.of(System.getProperty("it.target")));
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

    @Test
    void aSecondBuildInAnotherDirectoryGivesTheSameJars(@TempDir Path copy) throws Exception {
        Path basedir = Path.of(System.getProperty("it.basedir"));
        Files.copy(basedir.resolve("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(basedir.resolve("LICENSE"), copy.resolve("LICENSE"));
        for (String tree : new String[] {"src/main", "src/demo"}) {
            copyTree(basedir.resolve(tree), copy.resolve(tree));
        }
        Path log = copy.resolve("build.log");
        // Offline, from the local repository this build filled: only the packaging is repeated, no tests.
        Process build = new ProcessBuilder(Path.of(System.getProperty("it.maven.home"), "bin", "mvn").toString(),
                "-B", "-o", "-q", "package", "-Dmaven.test.skip=true",
                "-Dmaven.repo.local=" + System.getProperty("it.maven.repo"))
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(build.waitFor(10, TimeUnit.MINUTES), "the second build did not end in 10 minutes");
        if (build.exitValue() != 0) {
            fail("the second build failed:\n" + tail(log));
        }

        List<Path> first = jars(Path.of(System.getProperty("it.target")));
        List<Path> second = jars(copy.resolve("target"));
        assertEquals(names(first), names(second));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(sha256(first.get(i)), sha256(second.get(i)), first.get(i).getFileName() + " differs");
        }
    }

    /** The library, javax, their sources and Javadoc jars. */
    private static List<Path> jars(Path target) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(target)) {
            jars = files.filter(p -> p.getFileName().toString().matches("promlet-.*\\.jar")).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(6, jars.size(), "library, javax, their sources and Javadoc jars in " + target + ": " + jars);
        return jars;
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
