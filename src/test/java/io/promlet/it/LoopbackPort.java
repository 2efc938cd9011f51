package io.promlet.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for servers that must be told their port before they start. */
final class LoopbackPort {

    private LoopbackPort() {
    }

    /** A port that was free a moment ago: the operating system's choice for a loopback socket, closed again. */
    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
