package io.promlet.httpserver;

import io.promlet.CollectorRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Run in a child JVM by {@link HTTPServerTest}: starts a server, answers one scrape, and returns from main. */
public final class ServeAndReturn {
    private ServeAndReturn() {
    }

    public static void main(String[] args) throws IOException {
        HTTPServer server = HTTPServer.builder().host("127.0.0.1").registry(new CollectorRegistry()).build();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            System.out.println(answer.startsWith("HTTP/1.1 200") ? "scraped" : "unexpected answer: " + answer);
        }
        // No close(): the server's threads must not keep this JVM alive.
    }
}
