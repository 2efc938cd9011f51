package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.Objects;

/** An embedded Jetty 12 on 127.0.0.1 and a free port, serving one context; stopped by close(). */
final class JettyApp implements AutoCloseable {
    private final Server server;
    private final ServletContextHandler context;
    private final URI base;

    private JettyApp(Server server, ServletContextHandler context, URI base) {
        this.server = server;
        this.context = context;
        this.base = base;
    }

    /** The reference web application of src/main/webapp, at /app, with this registry as its context attribute. */
    static JettyApp reference(CollectorRegistry registry) throws Exception {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/app");
        webapp.setWar(Objects.requireNonNull(System.getProperty("it.webapp"), "system property it.webapp"));
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setAttribute(MetricsServlet.REGISTRY_ATTRIBUTE, registry);
        return start(webapp);
    }

    static JettyApp start(ServletContextHandler context) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        String path = context.getContextPath().equals("/") ? "" : context.getContextPath();
        return new JettyApp(server, context, URI.create("http://127.0.0.1:" + connector.getLocalPort() + path));
    }

    /** The context's URI, without a trailing slash, such as {@code http://127.0.0.1:41234/app}. */
    String base() {
        return base.toString();
    }

    /** Stops the context alone (filters and servlets are destroyed), leaving the server up. */
    void stopContext() throws Exception {
        context.stop();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
