/**
 * promlet: Prometheus instrumentation for servlet applications. The exported packages are the API; the engine,
 * {@code io.promlet.internal}, is not exported. The servlet API is optional ({@code requires static}): the
 * instruments, the formats, the HTTP server, the Pushgateway client and the textfile writer run without it, the
 * filter and the servlet need the container's, {@code io.promlet.jaxrs} the JAX-RS API. The {@code javax} jar holds
 * the same descriptor with {@code javax.servlet.api} (the module name of {@code javax.servlet:javax.servlet-api})
 * instead of {@code jakarta.servlet}, and {@code java.ws.rs} (JAX-RS 2.1) instead of {@code jakarta.ws.rs}.
 */
module io.promlet {
    requires static jakarta.servlet;
    requires static jakarta.ws.rs;
    // Where trace exemplars come from, when present: the OpenTelemetry agent's relocated API, or the application's.
    requires static io.opentelemetry.javaagent;
    requires static io.opentelemetry.api;
    requires java.management;
    requires jdk.management;
    requires transitive jdk.httpserver;
    requires java.net.http;

    exports io.promlet;
    exports io.promlet.model;
    exports io.promlet.exposition;
    exports io.promlet.scrape;
    exports io.promlet.servlet;
    exports io.promlet.jaxrs;
    exports io.promlet.httpserver;
    exports io.promlet.push;
    exports io.promlet.textfile;
    exports io.promlet.jvm;
    exports io.promlet.multiprocess;

    uses io.promlet.internal.SharedStoreProvider;
    provides io.promlet.internal.SharedStoreProvider with io.promlet.multiprocess.MultiProcessStoreProvider;
}
