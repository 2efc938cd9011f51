package io.promlet.httpserver;

import io.promlet.CollectorRegistry;

import java.io.IOException;

/** Run in a child JVM by {@link HTTPServerTest}: serves on a free port, prints it, and stops when stdin closes. */
public final class ServeUntilStdinCloses {
    private ServeUntilStdinCloses() {
    }

    public static void main(String[] args) throws IOException {
        try (HTTPServer server = HTTPServer.builder().host("127.0.0.1").registry(new CollectorRegistry()).build()) {
            System.out.println(server.getPort());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
