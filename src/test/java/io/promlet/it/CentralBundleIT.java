package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code target/central-bundle.zip}, the upload Maven Central's publisher portal takes: every artifact in the
 * repository layout, each with checksums that match, the jars the build made, and a POM with the metadata Central
 * requires and no runtime dependency. Only the signatures are missing: they are added by whoever holds the key
 * (README, "Releasing").
 */
class CentralBundleIT {

    private static final String[] SUFFIXES = {".pom", ".jar", "-sources.jar", "-javadoc.jar",
            "-javax.jar", "-javax-sources.jar", "-javax-javadoc.jar"};

    private static Map<String, byte[]> bundle;
    private static String prefix;

    @BeforeAll
    static void readBundle() throws IOException {
        String version = System.getProperty("it.version");
        prefix = "io/promlet/promlet/" + version + "/promlet-" + version;
        bundle = new TreeMap<>();
        try (ZipFile zip = new ZipFile(System.getProperty("it.bundle"))) {
            for (ZipEntry entry : zip.stream().filter(e -> !e.isDirectory()).toArray(ZipEntry[]::new)) {
                try (InputStream in = zip.getInputStream(entry)) {
                    bundle.put(entry.getName(), in.readAllBytes());
                }
            }
        }
    }

    @Test
    void holdsEveryArtifactWithItsChecksumsAndNothingElse() throws Exception {
        TreeSet<String> expected = new TreeSet<>();
        for (String suffix : SUFFIXES) {
            expected.add(prefix + suffix);
            expected.add(prefix + suffix + ".md5");
            expected.add(prefix + suffix + ".sha1");
        }
        assertEquals(expected, new TreeSet<>(bundle.keySet()));
        for (String suffix : SUFFIXES) {
            byte[] artifact = bundle.get(prefix + suffix);
            assertTrue(artifact.length > 0, prefix + suffix + " is empty");
            assertEquals(digest("MD5", artifact), checksum(prefix + suffix + ".md5"), prefix + suffix + ".md5");
            assertEquals(digest("SHA-1", artifact), checksum(prefix + suffix + ".sha1"), prefix + suffix + ".sha1");
        }
    }

    @Test
    void itsJarsAreTheOnesTheBuildMade() throws IOException {
        Path target = Path.of(System.getProperty("it.target"));
        for (String suffix : SUFFIXES) {
            if (suffix.endsWith(".jar")) {
                Path built = target.resolve("promlet-" + System.getProperty("it.version") + suffix);
                assertArrayEquals(Files.readAllBytes(built), bundle.get(prefix + suffix), built.toString());
            }
        }
    }

    @Test
    void itsPomHasWhatCentralRequiresAndNoRuntimeDependency() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(bundle.get(prefix + ".pom")));
        Element project = pom.getDocumentElement();
        for (String required : new String[] {"groupId", "artifactId", "version", "name", "description", "url"}) {
            assertFalse(text(project, required).isBlank(), "the POM's <" + required + ">");
        }
        assertFalse(text(child(child(project, "licenses"), "license"), "name").isBlank(), "a licence name");
        assertFalse(text(child(child(project, "licenses"), "license"), "url").isBlank(), "a licence URL");
        assertFalse(text(child(child(project, "developers"), "developer"), "name").isBlank(), "a developer");
        Element scm = child(project, "scm");
        assertFalse(text(scm, "connection").isBlank(), "scm connection");
        assertFalse(text(scm, "url").isBlank(), "scm url");

        List<String> runtime = new ArrayList<>();
        NodeList dependencies = child(project, "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String scope = text(dependency, "scope");
            if (!scope.equals("provided") && !scope.equals("test")) {
                runtime.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId") + " " + scope);
            }
        }
        assertEquals(List.of(), runtime, "dependencies a user would get at run time");
    }

    private static String checksum(String name) {
        byte[] file = bundle.get(name);
        assertNotNull(file, name);
        return new String(file, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
    }

    private static String digest(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element && children.item(i).getNodeName().equals(name)) {
                return (Element) children.item(i);
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getNodeName() + ">");
    }

    private static String text(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element && children.item(i).getNodeName().equals(name)) {
                return children.item(i).getTextContent().trim();
            }
        }
        return "";
    }
}
