package io.vigil.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A workload for the prober to find: a TCP listener on 127.0.0.1 that accepts and closes every
 * connection (so the backlog never fills), and that can close and reopen on the same port.
 */
final class TcpWorkload implements AutoCloseable {

    private final int port;
    private volatile ServerSocket listener;

    TcpWorkload() {
        this.port = open(0);
    }

    int port() {
        return port;
    }

    /** Opens the port again after {@link #close}. */
    void reopen() {
        open(port);
    }

    private int open(int wanted) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
            listener = socket;
            Thread acceptor = new Thread(() -> acceptUntilClosed(socket), "tcp-workload-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void acceptUntilClosed(ServerSocket socket) {
        while (!socket.isClosed()) {
            try (Socket accepted = socket.accept()) {
                // A probe only connects: closing at once is all a workload owes it.
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
