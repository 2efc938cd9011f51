package io.promlet.jettydemo;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves the reference WAR at the root context of an embedded Jetty 12 (ee10), as any WAR would be deployed:
 * {@code java -cp ... io.promlet.jettydemo.JettyDemo target/promlet-demo.war}. Port 8080 and address 127.0.0.1
 * unless the environment variables {@code PORT} and {@code HOST} say otherwise.
 */
public final class JettyDemo {
    private JettyDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(args.length > 0 ? args[0] : "target/promlet-demo.war");
        if (!Files.isRegularFile(war)) {
            System.err.println("No WAR at " + war.toAbsolutePath() + "; build it with: mvn -DskipTests package");
            System.exit(2);
        }
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toAbsolutePath().toString());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.setStopAtShutdown(true);
        server.start();
        String shown = host.equals("127.0.0.1") || host.equals("0.0.0.0") ? "localhost" : host;
        System.out.println("promlet demo on Jetty " + Server.getVersion() + ": http://" + shown + ":"
                + connector.getLocalPort() + "/  metrics: http://" + shown + ":" + connector.getLocalPort() + "/metrics");
        server.join();
    }
}
