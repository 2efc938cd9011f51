package io.promlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected type, constructor, method and field of the API has a Javadoc comment. The Javadoc jars
 * are built with doclint on and warnings failing the build, but without its "missing" group, since that group also
 * asks for a {@code @param} or {@code @return} tag where the sentence already says it; this test runs only the
 * part of that group that asks for the comment itself.
 */
class ApiDocumentationTest {

    private static final Path SOURCES = Path.of(System.getProperty("basedir", ""), "src", "main", "java");

    @Test
    void everyPublicElementOfTheApiHasAComment(@TempDir Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<File> files;
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            files = paths.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
        }
        // The provided APIs the module descriptor names.
        String modulePath = Stream.of(jakarta.servlet.Filter.class, jakarta.ws.rs.Path.class,
                io.opentelemetry.api.trace.Span.class, io.opentelemetry.context.Context.class,
                io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span.class)
                .map(ApiDocumentationTest::jarOf).collect(Collectors.joining(File.pathSeparator));
        List<String> options = List.of("--release", "11", "-proc:none", "-d", classes.toString(),
                "--module-path", modulePath, "-Xdoclint:missing/protected", "-Xdoclint/package:-io.promlet.internal",
                "-Xmaxwarns", "100000");
        boolean compiled;
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            compiled = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromFiles(files)).call();
        }
        assertTrue(compiled, () -> "src/main/java did not compile: " + diagnostics.getDiagnostics());
        List<String> undocumented = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getMessage(Locale.ROOT).contains("no comment")) {
                undocumented.add(SOURCES.relativize(Path.of(diagnostic.getSource().toUri())) + ":"
                        + diagnostic.getLineNumber());
            }
        }
        assertEquals(List.of(), undocumented, "public API without a Javadoc comment");
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
