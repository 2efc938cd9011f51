package io.promlet.tools;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 client over a plain socket that, unlike {@link java.net.http.HttpClient}, tells a complete response
 * from one whose connection broke part-way: the difference between a failed scrape and a truncated one.
 */
public final class RawHttp {
    /** A response: status, headers (names in lower case), the body as far as it came, and whether it all came. */
    public record Response(int status, Map<String, String> headers, byte[] body, boolean complete) {
        /** The body as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A complete 200: what a client would take for a successful scrape. */
        public boolean completeSuccess() {
            return status == 200 && complete;
        }
    }

    private RawHttp() {
    }

    /**
     * GETs the target, such as {@code /metrics?name[]=x}, from 127.0.0.1 with these header lines; 60 s at most. The
     * connection is kept alive (and closed once the response is read), so that the server frames the body with a
     * length or chunks: with {@code Connection: close} a body may end with the connection, and a cut looks the same.
     */
    public static Response get(int port, String target, String... headerLines) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        try {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                complete = readChunks(in, body);
            } else if (headers.containsKey("content-length")) {
                long length = Long.parseLong(headers.get("content-length"));
                complete = copy(in, body, length) == length;
            } else {
                copy(in, body, Long.MAX_VALUE);
                // Without a length or chunks only the close ends the body, so a cut cannot be told from the end.
                complete = true;
            }
        } catch (EOFException | SocketException broken) {
            complete = false;
        }
        return new Response(status, headers, body.toByteArray(), complete);
    }

    private static boolean readChunks(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                line(in);
                return true;
            }
            if (copy(in, body, length) < length) {
                return false;
            }
            line(in);
        }
    }

    private static long copy(InputStream in, ByteArrayOutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long copied = 0;
        while (copied < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    /** One line without its CRLF; EOFException if the connection ends first. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in the middle of a line: " + s);
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
