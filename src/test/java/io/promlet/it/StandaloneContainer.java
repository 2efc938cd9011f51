package io.promlet.it;

import io.promlet.tools.RealTools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A standalone servlet container distribution (unpacked by the build into {@code it.distributions}) run as its own
 * OS process from a fresh base directory, listening on 127.0.0.1 and a free port. The reference WAR is deployed
 * unchanged as {@code demo.war}, so the application answers under {@code /demo}.
 */
final class StandaloneContainer implements AutoCloseable {

    /** The context path of the deployed WAR. */
    static final String CONTEXT_PATH = "/demo";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final String WAR_NAME = "demo.war";
    /** Small heaps and no C2 compiler: the servers start faster on a busy small machine, and serve few requests. */
    private static final List<String> SERVER_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    /** Which servlet API a container implements, and so which reference WAR it gets. */
    enum Namespace {
        /** Jakarta Servlet 5.0 and later: {@code target/promlet-demo.war} with the main jar. */
        JAKARTA("it.war"),
        /** Java EE Servlet 4.0: {@code target/promlet-demo-javax.war} with the {@code javax} classifier jar. */
        JAVAX("it.war.javax");

        private final String warProperty;

        Namespace(String warProperty) {
            this.warProperty = warProperty;
        }

        Path war() {
            return Path.of(property(warProperty));
        }
    }

    /** System properties and environment variables for a container's JVM, such as {@code promlet.*} settings. */
    static final class Settings {
        static final Settings NONE = new Settings(Map.of(), Map.of());

        final Map<String, String> systemProperties;
        final Map<String, String> environment;
        private final List<String> otherJvmOptions;

        /** Values without blanks: some launch scripts split their options at blanks. */
        Settings(Map<String, String> systemProperties, Map<String, String> environment) {
            this(systemProperties, environment, List.of());
        }

        /** With more JVM options, such as a {@code -javaagent}. */
        Settings(Map<String, String> systemProperties, Map<String, String> environment, List<String> otherJvmOptions) {
            this.systemProperties = systemProperties;
            this.environment = environment;
            this.otherJvmOptions = otherJvmOptions;
        }

        List<String> jvmOptions() {
            List<String> options = new ArrayList<>();
            systemProperties.forEach((name, value) -> options.add("-D" + name + "=" + value));
            options.addAll(otherJvmOptions);
            return options;
        }
    }

    /** The containers the WARs must run in; the versions come from the pom, which also unpacks the distributions. */
    enum Kind {
        TOMCAT_9(Namespace.JAVAX, "Servlet 4.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                return launchTomcat(this, distribution("apache-tomcat-", "tomcat9.version"), base, port, settings);
            }
        },
        JETTY_10(Namespace.JAVAX, "Servlet 4.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException {
                return launchJetty(this, distribution("jetty-home-", "jetty10.version"), base, port, "http,deploy",
                        settings);
            }
        },
        JETTY_12_EE8(Namespace.JAVAX, "Servlet 4.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException {
                return launchJetty(this, jetty12(), base, port, "http,ee8-deploy", settings);
            }
        },
        TOMCAT_10_0(Namespace.JAKARTA, "Servlet 5.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                return launchTomcat(this, distribution("apache-tomcat-", "tomcat10.0.version"), base, port, settings);
            }
        },
        JETTY_12_EE9(Namespace.JAKARTA, "Servlet 5.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException {
                return launchJetty(this, jetty12(), base, port, "http,ee9-deploy", settings);
            }
        },
        TOMCAT_10_1(Namespace.JAKARTA, "Servlet 6.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                return launchTomcat(this, distribution("apache-tomcat-", "tomcat10.version"), base, port, settings);
            }
        },
        JETTY_12_EE10(Namespace.JAKARTA, "Servlet 6.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException {
                // With annotations, as JAX-RS runtimes need (their ServletContainerInitializer's @HandlesTypes).
                return launchJetty(this, jetty12(), base, port, "http,ee10-deploy,ee10-annotations", settings);
            }
        },
        TOMCAT_11(Namespace.JAKARTA, "Servlet 6.1") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                return launchTomcat(this, distribution("apache-tomcat-", "tomcat11.version"), base, port, settings);
            }
        },
        JETTY_12_EE11(Namespace.JAKARTA, "Servlet 6.1") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException {
                return launchJetty(this, jetty12(), base, port, "http,ee11-deploy", settings);
            }
        },
        /** Undertow (WildFly's servlet container) embedded by {@link UndertowLauncher}, which reads the web.xml. */
        UNDERTOW(Namespace.JAKARTA, "Servlet 6.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                List<String> command = new ArrayList<>(List.of(javaHome().resolve("bin/java").toString()));
                command.addAll(SERVER_JVM_OPTIONS);
                command.addAll(settings.jvmOptions());
                command.addAll(List.of("-cp", undertowClassPath(),
                        UndertowLauncher.class.getName(), webapps(base).resolve(WAR_NAME).toString(),
                        base.toString(), Integer.toString(port), CONTEXT_PATH));
                ProcessBuilder process = new ProcessBuilder(command).directory(base.toFile());
                process.environment().putAll(settings.environment);
                return ServerProcess.start(toString(), process, base.resolve("server.log"));
            }
        },
        /**
         * WildFly, a full Jakarta EE server ({@code standalone.xml}), from its own base directory: HTTP on loopback,
         * management on loopback and a free port.
         */
        WILDFLY(Namespace.JAKARTA, "Servlet 6.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                Path home = distribution("wildfly-", "wildfly.version");
                copyDirectory(home.resolve("standalone/configuration"), base.resolve("configuration"));
                ProcessBuilder command = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                        "-Djboss.server.base.dir=" + base, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                        "-Djboss.http.port=" + port, "-Djboss.https.port=" + RealTools.freePort(),
                        "-Djboss.management.http.port=" + RealTools.freePort(),
                        "-Djboss.management.https.port=" + RealTools.freePort())
                        .directory(base.toFile());
                command.command().addAll(settings.jvmOptions());
                Map<String, String> env = command.environment();
                env.putAll(settings.environment);
                Stream.of("JAVA_OPTS", "JBOSS_HOME", "JBOSS_BASE_DIR").forEach(env::remove);
                env.put("JAVA_HOME", javaHome().toString());
                env.put("JBOSS_JAVA_SIZING", String.join(" ", SERVER_JVM_OPTIONS));
                // standalone.sh then runs the JVM in the background and passes SIGTERM on to it.
                env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
                return ServerProcess.start(toString(), command, base.resolve("server.log"));
            }

            @Override
            Path webapps(Path base) {
                return base.resolve("deployments");
            }
        },
        /**
         * Payara Micro (GlassFish's web container, and its Jersey), one executable jar: its data grid (Hazelcast) off,
         * which would listen on all interfaces, its files below the base directory, HTTP on loopback (set before boot,
         * as it has no option for the address).
         */
        PAYARA_MICRO(Namespace.JAKARTA, "Servlet 6.0") {
            @Override
            ServerProcess launch(Path base, int port, Settings settings) throws IOException {
                Path preBoot = Files.writeString(base.resolve("preboot.asadmin"), "set configs.config.server-config"
                        + ".network-config.network-listeners.network-listener.http-listener.address=127.0.0.1\n");
                List<String> command = new ArrayList<>(List.of(javaHome().resolve("bin/java").toString()));
                command.addAll(SERVER_JVM_OPTIONS);
                command.addAll(settings.jvmOptions());
                command.addAll(List.of("-jar", Path.of(property("it.distributions"))
                                .resolve("payara-micro-" + property("payara.version") + ".jar").toString(),
                        "--nohazelcast", "--port", Integer.toString(port), "--rootdir", base.resolve("root").toString(),
                        "--prebootcommandfile", preBoot.toString(), "--deploymentdir", webapps(base).toString()));
                ProcessBuilder process = new ProcessBuilder(command).directory(base.toFile());
                process.environment().putAll(settings.environment);
                return ServerProcess.start(toString(), process, base.resolve("server.log"));
            }

            @Override
            boolean mapsContextRoot() {
                return false;
            }
        };

        private final Namespace namespace;
        private final String servletApi;

        Kind(Namespace namespace, String servletApi) {
            this.namespace = namespace;
            this.servletApi = servletApi;
        }

        /** Prepares {@code base}, whose {@link #webapps} directory may already hold WARs, and starts the server. */
        abstract ServerProcess launch(Path base, int port, Settings settings) throws IOException, InterruptedException;

        /**
         * Whether the container gives the context root to the servlet mapped to the empty {@code <url-pattern>}
         * (Servlet 3.1); Payara Micro leaves it to its default servlet.
         */
        boolean mapsContextRoot() {
            return true;
        }

        /** Where the container picks up WARs. */
        Path webapps(Path base) {
            return base.resolve("webapps");
        }

        /** The reference WAR for this container's servlet API. */
        Path war() {
            return namespace.war();
        }

        Namespace namespace() {
            return namespace;
        }

        String servletApi() {
            return servletApi;
        }
    }

    private final Kind kind;
    private final Path base;
    private final int port;
    private final ServerProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private StandaloneContainer(Kind kind, Path base, int port, ServerProcess process) {
        this.kind = kind;
        this.base = base;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code kind} in {@code base} with the reference WAR deployed, and waits until {@code probePath} (below
     * {@link #CONTEXT_PATH}) answers 200. The WAR is in place before the container starts, because not every
     * container watches its webapps directory.
     */
    static StandaloneContainer startWithWar(Kind kind, Path base, String probePath)
            throws IOException, InterruptedException {
        return startWithWar(kind, kind.war(), base, probePath);
    }

    /** Same, with another WAR than the reference one, also deployed as {@code demo.war}. */
    static StandaloneContainer startWithWar(Kind kind, Path war, Path base, String probePath)
            throws IOException, InterruptedException {
        return startWithWar(kind, war, base, probePath, Settings.NONE);
    }

    /** Same, with these settings (system properties, environment, a {@code -javaagent}). */
    static StandaloneContainer startWithWar(Kind kind, Path war, Path base, String probePath, Settings settings)
            throws IOException, InterruptedException {
        Files.createDirectories(kind.webapps(base));
        copyWar(war, kind.webapps(base), WAR_NAME);
        StandaloneContainer container = start(kind, base, settings);
        try {
            container.awaitStatus(probePath, 200);
            return container;
        } catch (InterruptedException | RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    /**
     * Starts {@code kind} in {@code base} with these WARs deployed, each at the context path of its name
     * ({@code auto} at {@code /auto}), and these settings; waits until {@code probePath} answers 200 in each.
     */
    static StandaloneContainer startWithWars(Kind kind, Path base, Map<String, Path> wars, Settings settings,
                                             String probePath) throws IOException, InterruptedException {
        Files.createDirectories(kind.webapps(base));
        for (Map.Entry<String, Path> war : wars.entrySet()) {
            copyWar(war.getValue(), kind.webapps(base), war.getKey() + ".war");
        }
        StandaloneContainer container = start(kind, base, settings);
        try {
            for (String name : wars.keySet()) {
                String path = "/" + name + probePath;
                container.process.await("HTTP 200 from " + path, START_TIMEOUT,
                        () -> container.get(path).statusCode(), code -> code == 200);
            }
            return container;
        } catch (InterruptedException | RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    /** Starts {@code kind} in {@code base} with nothing deployed, and waits until its HTTP port answers. */
    static StandaloneContainer startEmpty(Kind kind, Path base) throws IOException, InterruptedException {
        Files.createDirectories(kind.webapps(base));
        StandaloneContainer container = start(kind, base, Settings.NONE);
        try {
            container.process.await("HTTP answer on " + container.address(), START_TIMEOUT,
                    () -> container.get("/").statusCode(), status -> true);
            return container;
        } catch (InterruptedException | RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    private static StandaloneContainer start(Kind kind, Path base, Settings settings)
            throws IOException, InterruptedException {
        int port = RealTools.freePort();
        return new StandaloneContainer(kind, base, port, kind.launch(base, port, settings));
    }

    /** Puts the reference WAR into the webapps directory; a container that scans for changes then deploys it. */
    void deployWar() throws IOException {
        copyWar(kind.war(), kind.webapps(base), WAR_NAME);
    }

    /** Copies the WAR under another name and then renames it, so a scanning container never sees half a WAR. */
    private static void copyWar(Path war, Path webapps, String name) throws IOException {
        Path partial = Files.copy(war, webapps.resolveSibling(name + ".partial"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, webapps.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the WAR from the webapps directory; a container that scans for changes then undeploys it. */
    void removeWar() throws IOException {
        Files.delete(kind.webapps(base).resolve(WAR_NAME));
    }

    /** Waits until {@code path} below {@link #CONTEXT_PATH} answers {@code status}. */
    void awaitStatus(String path, int status) throws InterruptedException {
        process.await("HTTP " + status + " from " + uri(path), START_TIMEOUT,
                () -> get(CONTEXT_PATH + path).statusCode(), code -> code == status);
    }

    /** GETs {@code path} below {@link #CONTEXT_PATH} with this {@code Accept} header, and more headers if given. */
    HttpResponse<String> get(String path, String accept, String... namesAndValues)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", accept)
                .timeout(REQUEST_TIMEOUT);
        if (namesAndValues.length > 0) {
            request.headers(namesAndValues);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The absolute URI of {@code path} below {@link #CONTEXT_PATH}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + path);
    }

    /** {@code host:port} of the HTTP connector. */
    String address() {
        return "127.0.0.1:" + port;
    }

    ServerProcess process() {
        return process;
    }

    /** The server's own output plus the log files it wrote below its base directory. */
    String logs() {
        StringBuilder all = new StringBuilder(process.log());
        Path logDir = base.resolve("logs");
        if (Files.isDirectory(logDir)) {
            try (Stream<Path> files = Files.list(logDir)) {
                for (Path file : files.sorted().toList()) {
                    all.append("\n--- ").append(file.getFileName()).append(" ---\n").append(Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return kind + " on " + address();
    }

    /** GETs an absolute path, such as {@code /auto/metrics}. */
    HttpResponse<String> getAbsolute(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<Void> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private static ServerProcess launchJetty(Kind kind, Path home, Path base, int port, String modules,
                                             Settings settings) throws IOException, InterruptedException {
        Path java = javaHome().resolve("bin/java");
        ServerProcess.runToCompletion(kind + " base setup",
                new ProcessBuilder(java.toString(), "-jar", home.resolve("start.jar").toString(),
                        "jetty.home=" + home, "jetty.base=" + base, "--add-modules=" + modules),
                base.resolve("setup.log"), START_TIMEOUT);
        // Jetty unpacks WARs into ${jetty.base}/work when it exists, keeping everything inside the base.
        Files.createDirectories(base.resolve("work"));
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(SERVER_JVM_OPTIONS);
        command.addAll(settings.jvmOptions());
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        ProcessBuilder process = new ProcessBuilder(command).directory(base.toFile());
        process.environment().putAll(settings.environment);
        return ServerProcess.start(kind.toString(), process, base.resolve("server.log"));
    }

    /** The launcher's own class (from the test classes) and Undertow with its dependencies, as the pom lists them. */
    private static String undertowClassPath() throws IOException {
        String launcher;
        try {
            launcher = Path.of(UndertowLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return launcher + java.io.File.pathSeparator
                + Files.readString(Path.of(property("it.undertow.classpath"))).trim();
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path jetty12() {
        return distribution("jetty-home-", "jetty.version");
    }

    /** An unpacked distribution below {@code it.distributions}. */
    private static Path distribution(String directoryPrefix, String versionProperty) {
        Path home = Path.of(property("it.distributions")).resolve(directoryPrefix + property(versionProperty));
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("distribution missing: " + home + " (run mvn verify)");
        }
        return home;
    }

    private static ServerProcess launchTomcat(Kind kind, Path home, Path base, int port, Settings settings)
            throws IOException {
        for (String dir : List.of("conf", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        // A minimal server.xml: one connector on 127.0.0.1:${it.port} (not a promlet.* name, which promlet would warn
        // of as an unknown setting), no shutdown port, and a host that scans webapps every second so deploying and
        // undeploying by file is quick.
        try (InputStream serverXml = StandaloneContainer.class.getResourceAsStream("/it/tomcat/server.xml")) {
            Files.copy(serverXml, base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder command = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile());
        Map<String, String> env = command.environment();
        Stream.of("JAVA_OPTS", "JRE_HOME", "CATALINA_PID", "CATALINA_OUT", "LOGGING_CONFIG").forEach(env::remove);
        env.put("JAVA_HOME", javaHome().toString());
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_TMPDIR", base.resolve("temp").toString());
        env.putAll(settings.environment);
        List<String> options = new ArrayList<>(SERVER_JVM_OPTIONS);
        options.addAll(settings.jvmOptions());
        env.put("CATALINA_OPTS", String.join(" ", options) + " -Dit.port=" + port);
        return ServerProcess.start(kind.toString(), command, base.resolve("server.log"));
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " not set; run through mvn verify (failsafe)");
        }
        return value;
    }
}
