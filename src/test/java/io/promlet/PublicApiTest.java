package io.promlet;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps {@code api/promlet.api}, the checked-in listing of promlet's public API, in step with the code, so that
 * every change of the API shows up in review as a change of that file.
 *
 * <p>The listing is made by reflection from the compiled main classes (the directory or jar that holds
 * {@link Counter}): every public type of the packages in {@link #PACKAGES}, with its modifiers, type parameters,
 * superclass and interfaces, followed by its enum constants (in declaration order, as ordinals are API) and its
 * public and protected fields, constructors and methods (sorted by name). Types are sorted by name, so nested
 * types follow their enclosing type. Synthetic and bridge members, which the compiler makes, are left out.
 *
 * <p>After an intended change of the API, rewrite the file and commit it with the change:
 *
 * <pre>
 * mvn test -Dtest=PublicApiTest -Dpromlet.api.update=true
 * </pre>
 */
class PublicApiTest {
    /**
     * The packages users may use, one a line (each with its comma, so that adding one is adding a line). A package
     * with a segment named {@code internal} is never part of the API, even when listed here.
     */
    private static final String[] PACKAGES = {
            "io.promlet",
            "io.promlet.model",
            "io.promlet.exposition",
            "io.promlet.servlet",
            "io.promlet.jaxrs",
            "io.promlet.httpserver",
            "io.promlet.push",
            "io.promlet.textfile",
            "io.promlet.jvm",
            "io.promlet.scrape",
            "io.promlet.multiprocess",
    };

    private static final String UPDATE_PROPERTY = "promlet.api.update";
    private static final String UPDATE_COMMAND = "mvn test -Dtest=PublicApiTest -D" + UPDATE_PROPERTY + "=true";
    private static final String INDENT = "    ";

    /** Surefire runs tests in the project's base directory and also passes it as {@code basedir}. */
    private static final Path API_FILE = Path.of(System.getProperty("basedir", ""), "api", "promlet.api");

    @Test
    void apiFileListsThePublicApi() throws Exception {
        List<String> actual = listing(apiTypes());
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(API_FILE.toAbsolutePath().getParent());
            // \n whatever the platform, so that the file is the same wherever it is written.
            Files.write(API_FILE, (String.join("\n", actual) + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!Files.exists(API_FILE)) {
            fail(API_FILE.toAbsolutePath() + " is missing; create it with\n  " + UPDATE_COMMAND);
        }
        List<String> expected = Files.readAllLines(API_FILE, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail(API_FILE + " differs from the public API of the compiled classes"
                    + " (- only in the file, + only in the code):\n"
                    + diff(expected, actual)
                    + "If the change of the public API is intended, rewrite the file with\n  " + UPDATE_COMMAND
                    + "\nand commit it with the change.");
        }
    }

    /** Without this, a new package of public types would silently stay out of the listing. */
    @Test
    void everyPackageWithPublicTypesIsListedOrInternal() throws Exception {
        Set<String> unlisted = new TreeSet<>();
        for (Class<?> type : mainClasses()) {
            String pkg = type.getPackageName();
            if (Modifier.isPublic(type.getModifiers()) && !isListed(pkg) && !isInternal(pkg)) {
                unlisted.add(pkg);
            }
        }
        assertTrue(unlisted.isEmpty(), "packages with public types that are neither in PublicApiTest.PACKAGES nor"
                + " internal: " + unlisted + "; list them (then " + UPDATE_COMMAND + ") or move the types to an"
                + " internal package");
    }

    private static boolean isListed(String pkg) {
        return Arrays.asList(PACKAGES).contains(pkg);
    }

    private static boolean isInternal(String pkg) {
        return Arrays.asList(pkg.split("\\.")).contains("internal");
    }

    private static List<Class<?>> apiTypes() throws Exception {
        List<Class<?>> library = mainClasses();
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> type : library) {
            if (isApiType(type)) {
                checkSupertypesAreListed(type, library);
                types.add(type);
            }
        }
        types.sort(Comparator.comparing(PublicApiTest::typeName));
        return types;
    }

    private static boolean isApiType(Class<?> type) {
        String pkg = type.getPackageName();
        if (!isListed(pkg) || isInternal(pkg)
                || type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        // A nested type is reachable only through its enclosing types.
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!isVisible(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a type inherits is listed under the supertype that declares it, so a supertype of the library's own must
     * be listed too. A public class extending a package-private one is the case to catch: javac declares the
     * inherited public methods in the subclass only as bridge methods, which this listing leaves out. An interface
     * with only abstract methods (such as the internal one a {@code ServiceLoader} provider implements) passes on
     * nothing: the implementing type declares, and so lists, every member itself.
     */
    private static void checkSupertypesAreListed(Class<?> type, List<Class<?>> library) {
        List<Class<?>> supertypes = new ArrayList<>(Arrays.asList(type.getInterfaces()));
        if (type.getSuperclass() != null) {
            supertypes.add(type.getSuperclass());
        }
        for (Class<?> supertype : supertypes) {
            boolean passesOnNothing = supertype.isInterface()
                    && Arrays.stream(supertype.getMethods()).allMatch(m -> Modifier.isAbstract(m.getModifiers()));
            assertTrue(!library.contains(supertype) || isApiType(supertype) || passesOnNothing, type.getName() + " extends or implements "
                    + supertype.getName() + ", which is not public API, so what it inherits from there would be"
                    + " missing from " + API_FILE.getFileName() + "; make the supertype public API");
        }
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class compiled from src/main/java: in tests a directory (target/classes), else the library's jar. */
    private static List<Class<?>> mainClasses() throws Exception {
        Path location = Path.of(Counter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> paths = Files.walk(location)) {
                for (Path path : paths.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    files.add(location.relativize(path).toString().replace(location.getFileSystem().getSeparator(), "/"));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    files.add(entries.nextElement().getName());
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String file : files) {
            // META-INF holds no classes of the library's own packages (only, in a multi-release jar, other versions).
            if (file.endsWith(".class") && !file.startsWith("META-INF/")
                    && !file.endsWith("module-info.class") && !file.endsWith("package-info.class")) {
                String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
                classes.add(Class.forName(name, false, Counter.class.getClassLoader()));
            }
        }
        return classes;
    }

    private static List<String> listing(List<Class<?>> types) {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : types) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.add(header(type));
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    lines.add(INDENT + "enum constant " + ((Enum<?>) constant).name());
                }
            }
            List<Member> members = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (isVisible(field.getModifiers()) && !field.isSynthetic() && !field.isEnumConstant()) {
                    members.add(new Member(0, field.getName(), modifiers(field.getModifiers(), Modifier.fieldModifiers())
                            + typeName(field.getGenericType()) + " " + field.getName()));
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isVisible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                    members.add(new Member(1, "", signature(constructor, type.getSimpleName())));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isVisible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                    members.add(new Member(2, method.getName(), signature(method, method.getName())));
                }
            }
            members.sort(Comparator.comparingInt((Member m) -> m.kind).thenComparing(m -> m.name)
                    .thenComparing(m -> m.line));
            for (Member member : members) {
                lines.add(INDENT + member.line);
            }
        }
        return lines;
    }

    /** One line of a type's listing, with what it is sorted by: fields, then constructors, then methods. */
    private static final class Member {
        final int kind;
        final String name;
        final String line;

        Member(int kind, String name, String line) {
            this.kind = kind;
            this.name = name;
            this.line = line;
        }
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & Modifier.classModifiers() & ~Modifier.STRICT;
        String kind = "class";
        // Modifiers that the language implies are left out, as in the source.
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (type.isEnum()) {
            kind = "enum";
            modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC | Modifier.FINAL);
        }
        StringBuilder line = new StringBuilder(Modifier.toString(modifiers)).append(' ').append(kind).append(' ')
                .append(typeName(type)).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum()) {
            line.append(" extends ").append(typeName(superclass));
        }
        if (!type.isAnnotation() && type.getGenericInterfaces().length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ").append(typeNames(type.getGenericInterfaces()));
        }
        return line.toString();
    }

    private static String signature(Executable executable, String name) {
        int mask = executable instanceof Method ? Modifier.methodModifiers() : Modifier.constructorModifiers();
        // Synchronized, native and strictfp say how a method is implemented, not how it is called.
        mask &= ~(Modifier.SYNCHRONIZED | Modifier.NATIVE | Modifier.STRICT);
        StringBuilder line = new StringBuilder();
        if (executable instanceof Method && executable.getDeclaringClass().isInterface()) {
            Method method = (Method) executable;
            line.append(modifiers(method.getModifiers() & ~Modifier.ABSTRACT, mask));
            if (method.isDefault()) {
                line.append("default ");
            }
        } else {
            line.append(modifiers(executable.getModifiers(), mask));
        }
        String typeParameters = typeParameters(executable.getTypeParameters());
        if (!typeParameters.isEmpty()) {
            line.append(typeParameters).append(' ');
        }
        if (executable instanceof Method) {
            line.append(typeName(((Method) executable).getGenericReturnType())).append(' ');
        }
        String parameters = typeNames(executable.getGenericParameterTypes());
        if (executable.isVarArgs()) {
            parameters = parameters.substring(0, parameters.length() - "[]".length()) + "...";
        }
        line.append(name).append('(').append(parameters).append(')');
        Type[] exceptions = executable.getGenericExceptionTypes();
        if (exceptions.length > 0) {
            line.append(" throws ").append(typeNames(exceptions));
        }
        return line.toString();
    }

    private static String modifiers(int modifiers, int mask) {
        String text = Modifier.toString(modifiers & mask);
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder("<");
        for (TypeVariable<?> variable : variables) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(variable.getName());
            Type[] bounds = variable.getBounds();
            if (!(bounds.length == 1 && bounds[0] == Object.class)) {
                text.append(" extends ").append(Arrays.stream(bounds).map(PublicApiTest::typeName)
                        .collect(Collectors.joining(" & ")));
            }
        }
        return text.append('>').toString();
    }

    private static String typeNames(Type[] types) {
        return Arrays.stream(types).map(PublicApiTest::typeName).collect(Collectors.joining(", "));
    }

    /** A type as the source would write it fully qualified, such as {@code java.util.List<io.promlet.Counter.Child>}. */
    private static String typeName(Type type) {
        if (type instanceof Class) {
            Class<?> c = (Class<?>) type;
            return c.getCanonicalName() != null ? c.getCanonicalName() : c.getName();
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType parameterized = (ParameterizedType) type;
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type owner = parameterized.getOwnerType();
            String name = owner instanceof ParameterizedType
                    ? typeName(owner) + "." + raw.getSimpleName() : typeName(raw);
            return name + "<" + typeNames(parameterized.getActualTypeArguments()) + ">";
        }
        if (type instanceof GenericArrayType) {
            return typeName(((GenericArrayType) type).getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType) {
            WildcardType wildcard = (WildcardType) type;
            if (wildcard.getLowerBounds().length > 0) {
                return "? super " + typeNames(wildcard.getLowerBounds());
            }
            Type[] upper = wildcard.getUpperBounds();
            return upper.length == 1 && upper[0] == Object.class ? "?" : "? extends " + typeNames(upper);
        }
        return type.getTypeName(); // a type variable
    }

    /**
     * The lines that differ, as {@code -} (only in the file) and {@code +} (only in the code), each run of them
     * under the type it belongs to; from a longest common subsequence of the two listings.
     */
    private static String diff(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = expected.get(i).equals(actual.get(j))
                        ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        String type = null;
        String shownType = null;
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            String line;
            char sign;
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                line = expected.get(i++);
                j++;
                sign = ' ';
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                line = expected.get(i++);
                sign = '-';
            } else {
                line = actual.get(j++);
                sign = '+';
            }
            if (!line.isEmpty() && !line.startsWith(INDENT)) {
                type = line;
            }
            if (sign != ' ' && !line.isEmpty()) {
                if (line.startsWith(INDENT) && type != null && !type.equals(shownType)) {
                    out.append("  ").append(type).append('\n');
                }
                shownType = type;
                out.append(sign).append(' ').append(line).append('\n');
            }
        }
        return out.toString();
    }
}
