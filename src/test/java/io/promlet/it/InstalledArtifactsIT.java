package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * What {@code mvn install} installs, as invoker:install staged it in {@code target/local-repo}: the library jar (not
 * the demo WAR) as the main artifact, and its {@code javax} classifier with the same classes, only the servlet API
 * relocated to {@code javax.servlet}.
 */
class InstalledArtifactsIT {

    private static final String VERSION_DIR = "it.staged";

    @Test
    void theMainArtifactIsTheLibraryJar() throws IOException {
        Path installed = staged("");
        assertArrayEquals(Files.readAllBytes(Path.of(System.getProperty("it.jar"))), Files.readAllBytes(installed),
                "the installed main artifact is the library jar the build made");
        List<String> names = entryNames(installed);
        assertTrue(names.contains("io/promlet/servlet/MetricsFilter.class"), names.toString());
        assertTrue(names.contains("io/promlet/Counter.class"), names.toString());
        assertEquals(List.of(), names.stream().filter(name -> name.startsWith("WEB-INF/")
                || name.startsWith("io/promlet/demo/") || name.endsWith(".war")).collect(Collectors.toList()),
                "no web application in the library jar");
    }

    @Test
    void theJavaxClassifierHasTheSameClassesOnTheJavaxServletAndRestApis() throws IOException {
        Path jakarta = staged("");
        Path javax = staged("-javax");
        assertArrayEquals(Files.readAllBytes(Path.of(System.getProperty("it.jar.javax"))),
                Files.readAllBytes(javax), "the installed javax jar is the one the build made");
        assertEquals(classNames(jakarta), classNames(javax), "the same classes");
        List<String> stillJakarta = new ArrayList<>();
        int referencingJavax = 0;
        try (JarFile jar = new JarFile(javax.toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class"))
                    .collect(Collectors.toList())) {
                String constants = constantText(jar, entry);
                if (constants.contains("jakarta/servlet") || constants.contains("jakarta.servlet")
                        || constants.contains("jakarta/ws/rs") || constants.contains("jakarta.ws.rs")) {
                    stillJakarta.add(entry.getName());
                }
                if (constants.contains("javax/servlet")) {
                    referencingJavax++;
                }
            }
        }
        assertEquals(List.of(), stillJakarta, "classes of the javax jar that still name jakarta.servlet or jakarta.ws.rs");
        assertTrue(referencingJavax > 5, "classes that use javax.servlet: " + referencingJavax);
    }

    @Test
    void everyClassOfBothJarsIsForJava11() throws IOException {
        for (String classifier : List.of("", "-javax")) {
            Path jar = staged(classifier);
            List<String> notJava11 = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : file.stream().filter(e -> e.getName().endsWith(".class"))
                        .collect(Collectors.toList())) {
                    try (InputStream in = file.getInputStream(entry)) {
                        byte[] header = in.readNBytes(8);
                        // A class file starts with CAFEBABE, a minor and a major version; Java 11 is major 55.
                        int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                        if (major != 55) {
                            notJava11.add(entry.getName() + " (major " + major + ")");
                        }
                    }
                }
            }
            assertEquals(List.of(), notJava11, jar + ": classes not compiled for Java 11");
        }
    }

    private static Path staged(String classifierSuffix) {
        Path dir = Path.of(System.getProperty(VERSION_DIR));
        String version = dir.getFileName().toString();
        Path jar = dir.resolve("promlet-" + version + classifierSuffix + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " staged by invoker:install");
        return jar;
    }

    private static List<String> entryNames(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).collect(Collectors.toList());
        }
    }

    private static TreeSet<String> classNames(Path jar) throws IOException {
        return entryNames(jar).stream().filter(name -> name.endsWith(".class"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The class file read as Latin-1, which keeps the UTF-8 of its constant pool readable for the ASCII names looked
     * for; the compiler's synthetic switch-map field names ({@code $SwitchMap$jakarta$servlet$...}) use dollar signs,
     * so they do not match.
     */
    private static String constantText(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
