package io.promlet.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway that misbehaves after the headers: it reads each request, writes the start of an answer and then
 * stalls, reading until the client closes the connection (which it counts) or the test closes the gateway.
 */
final class StallingGateway implements AutoCloseable {
    /** Writes what the gateway sends before it stalls. */
    @FunctionalInterface
    interface AnswerStart {
        void write(OutputStream out) throws IOException;
    }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AnswerStart answerStart;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private volatile boolean stopped;

    StallingGateway(AnswerStart answerStart) throws IOException {
        this.answerStart = answerStart;
        Thread acceptor = new Thread(this::accept, "stalling-gateway");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A 200 whose headers promise {@code Content-Length: 1000}, followed by 2 bytes. */
    static final AnswerStart SHORT_BODY = out -> out.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Requests read completely, body included. */
    int requests() {
        return requests.get();
    }

    /** Connections the client closed, seen as the end of the stream or a failed write. */
    int closedByClient() {
        return closedByClient.get();
    }

    private void accept() {
        while (!stopped) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread t = new Thread(() -> serve(socket), "stalling-gateway connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            readRequest(in);
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            answerStart.write(out);
            out.flush();
            while (in.read() != -1) {
                // Nothing more is expected; read only to see the client close.
            }
            closedByClient.incrementAndGet();
        } catch (IOException e) {
            // A failed write or read while the gateway runs: the client reset or closed the connection.
            if (!stopped) {
                closedByClient.incrementAndGet();
            }
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("request head cut short");
            }
            head.write(b);
        }
        long length = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT).lines()
                .filter(line -> line.startsWith("content-length:"))
                .mapToLong(line -> Long.parseLong(line.substring("content-length:".length()).strip()))
                .findFirst().orElse(0);
        in.readNBytes((int) length);
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
