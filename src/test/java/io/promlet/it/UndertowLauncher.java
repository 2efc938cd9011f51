package io.promlet.it;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Runs a WAR on embedded Undertow, the servlet container of WildFly, as a standalone server process:
 * {@code UndertowLauncher <war> <work dir> <port> <context path>}. Undertow has no {@code web.xml} parser of its own
 * (WildFly's lives in its deployment layer), so this launcher unpacks the WAR, gives it a child-first class loader over
 * {@code WEB-INF/classes} and {@code WEB-INF/lib}, and translates the {@code web.xml} elements that a plain web
 * application uses into a {@link DeploymentInfo}: context parameters, listeners, filters and servlets with their
 * init-params, async support and load-on-startup, filter mappings by URL pattern or servlet name with their dispatcher
 * types, servlet mappings, welcome files and error pages. Static files are served from the unpacked WAR. Anything else
 * in the {@code web.xml} fails the start, so a test never passes on a silently ignored element. Stops on SIGTERM.
 */
public final class UndertowLauncher {

    /** The {@code web.xml} elements this launcher understands; any other child of {@code web-app} is an error. */
    private static final List<String> UNDERSTOOD = List.of("display-name", "description", "context-param",
            "listener", "filter", "filter-mapping", "servlet", "servlet-mapping", "welcome-file-list", "error-page");

    private UndertowLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: UndertowLauncher <war> <work dir> <port> <context path>");
        }
        Path war = Path.of(args[0]);
        Path root = unpack(war, Path.of(args[1]).resolve("webapp"));
        int port = Integer.parseInt(args[2]);
        String contextPath = args[3];

        ClassLoader loader = webappClassLoader(root, UndertowLauncher.class.getClassLoader());
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(loader)
                .setContextPath(contextPath)
                .setDeploymentName(war.getFileName().toString())
                .setResourceManager(new PathResourceManager(root));
        readWebXml(root.resolve("WEB-INF/web.xml"), loader, deployment);

        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        PathHandler paths = Handlers.path().addPrefixPath(contextPath, manager.start());
        Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(paths).build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            try {
                manager.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
            manager.undeploy();
            System.out.println("UndertowLauncher: stopped");
        }, "undertow-stop"));
        System.out.println("UndertowLauncher: " + war.getFileName() + " at http://127.0.0.1:" + port + contextPath);
    }

    private static Path unpack(Path war, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("entry outside the WAR: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(zip, file);
                }
            }
        }
        return target;
    }

    /** WEB-INF/classes, then WEB-INF/lib/*.jar, before the parent for everything but the platform and the container. */
    private static ClassLoader webappClassLoader(Path root, ClassLoader parent) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(root.resolve("WEB-INF/classes").toUri().toURL());
        Path lib = root.resolve("WEB-INF/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        return new ChildFirstClassLoader(urls.toArray(new URL[0]), parent);
    }

    private static void readWebXml(Path webXml, ClassLoader loader, DeploymentInfo deployment) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document;
        try (InputStream in = Files.newInputStream(webXml)) {
            document = factory.newDocumentBuilder().parse(in);
        }
        for (Element element : children(document.getDocumentElement())) {
            String name = element.getLocalName();
            if (!UNDERSTOOD.contains(name)) {
                throw new IllegalArgumentException(webXml + ": <" + name + "> is not supported by this launcher");
            }
            switch (name) {
                case "display-name":
                    deployment.setDisplayName(element.getTextContent().trim());
                    break;
                case "context-param":
                    deployment.addInitParameter(text(element, "param-name"), text(element, "param-value"));
                    break;
                case "listener":
                    deployment.addListener(Servlets.listener(
                            loader.loadClass(text(element, "listener-class")).asSubclass(EventListener.class)));
                    break;
                case "filter":
                    deployment.addFilter(filter(element, loader));
                    break;
                case "filter-mapping":
                    addFilterMapping(element, deployment);
                    break;
                case "servlet":
                    deployment.addServlet(servlet(element, loader));
                    break;
                case "welcome-file-list":
                    for (Element file : children(element, "welcome-file")) {
                        deployment.addWelcomePage(file.getTextContent().trim());
                    }
                    break;
                case "error-page":
                    deployment.addErrorPage(errorPage(element, loader));
                    break;
                default:
                    break;
            }
        }
        // Mappings may come before the servlet they name.
        for (Element mapping : children(document.getDocumentElement(), "servlet-mapping")) {
            ServletInfo servlet = deployment.getServlets().get(text(mapping, "servlet-name"));
            if (servlet == null) {
                throw new IllegalArgumentException("servlet-mapping of an unknown servlet: "
                        + text(mapping, "servlet-name"));
            }
            for (Element pattern : children(mapping, "url-pattern")) {
                servlet.addMapping(pattern.getTextContent().trim());
            }
        }
    }

    private static FilterInfo filter(Element element, ClassLoader loader) throws ClassNotFoundException {
        FilterInfo filter = Servlets.filter(text(element, "filter-name"),
                loader.loadClass(text(element, "filter-class")).asSubclass(Filter.class));
        for (Element param : children(element, "init-param")) {
            filter.addInitParam(text(param, "param-name"), text(param, "param-value"));
        }
        filter.setAsyncSupported(flag(element, "async-supported"));
        return filter;
    }

    private static ServletInfo servlet(Element element, ClassLoader loader) throws ClassNotFoundException {
        ServletInfo servlet = Servlets.servlet(text(element, "servlet-name"),
                loader.loadClass(text(element, "servlet-class")).asSubclass(Servlet.class));
        for (Element param : children(element, "init-param")) {
            servlet.addInitParam(text(param, "param-name"), text(param, "param-value"));
        }
        servlet.setAsyncSupported(flag(element, "async-supported"));
        String loadOnStartup = optionalText(element, "load-on-startup");
        if (loadOnStartup != null) {
            servlet.setLoadOnStartup(Integer.valueOf(loadOnStartup));
        }
        return servlet;
    }

    private static void addFilterMapping(Element element, DeploymentInfo deployment) {
        String filter = text(element, "filter-name");
        List<DispatcherType> dispatchers = new ArrayList<>();
        for (Element dispatcher : children(element, "dispatcher")) {
            dispatchers.add(DispatcherType.valueOf(dispatcher.getTextContent().trim()));
        }
        if (dispatchers.isEmpty()) {
            dispatchers.add(DispatcherType.REQUEST);
        }
        for (DispatcherType dispatcher : dispatchers) {
            for (Element pattern : children(element, "url-pattern")) {
                deployment.addFilterUrlMapping(filter, pattern.getTextContent().trim(), dispatcher);
            }
            for (Element servlet : children(element, "servlet-name")) {
                deployment.addFilterServletNameMapping(filter, servlet.getTextContent().trim(), dispatcher);
            }
        }
    }

    private static ErrorPage errorPage(Element element, ClassLoader loader) throws ClassNotFoundException {
        String location = text(element, "location");
        String code = optionalText(element, "error-code");
        String exception = optionalText(element, "exception-type");
        if (code != null) {
            return new ErrorPage(location, Integer.parseInt(code));
        }
        if (exception != null) {
            return new ErrorPage(location, loader.loadClass(exception).asSubclass(Throwable.class));
        }
        return new ErrorPage(location);
    }

    private static boolean flag(Element element, String child) {
        return Boolean.parseBoolean(optionalText(element, child));
    }

    private static String text(Element element, String child) {
        String text = optionalText(element, child);
        if (text == null) {
            throw new IllegalArgumentException("<" + element.getLocalName() + "> without <" + child + ">");
        }
        return text;
    }

    private static String optionalText(Element element, String child) {
        List<Element> found = children(element, child);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Element child : children(parent)) {
            if (child.getLocalName().equals(name)) {
                found.add(child);
            }
        }
        return found;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                elements.add((Element) nodes.item(i));
            }
        }
        return elements;
    }

    /** Loads the web application's own classes before the parent's, as servlet containers do. */
    private static final class ChildFirstClassLoader extends URLClassLoader {

        static {
            ClassLoader.registerAsParallelCapable();
        }

        ChildFirstClassLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && !isContainerClass(name)) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notInTheWebapp) {
                        loaded = null;
                    }
                }
                if (loaded == null) {
                    loaded = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        @Override
        public URL getResource(String name) {
            URL url = findResource(name);
            return url != null ? url : super.getResource(name);
        }

        /** The platform, the servlet API and the container: never taken from the web application. */
        private static boolean isContainerClass(String name) {
            return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
                    || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("io.undertow.")
                    || name.startsWith("org.xnio.") || name.startsWith("org.jboss.")
                    || name.startsWith("org.wildfly.");
        }
    }
}
