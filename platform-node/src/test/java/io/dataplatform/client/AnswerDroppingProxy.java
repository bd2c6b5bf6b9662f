package io.dataplatform.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real node that loses the node's first {@code drops} answers: it
 * forwards the request, waits for the first byte of the answer (the node answers an append only
 * once it is committed), then closes both connections instead of passing the answer on, as a
 * network failure after the commit would. Everything else is passed through untouched.
 */
final class AnswerDroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int nodePort;
    private final AtomicInteger dropsLeft;
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private AnswerDroppingProxy(int nodePort, int drops) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.nodePort = nodePort;
        this.dropsLeft = new AtomicInteger(drops);
        Thread acceptor = new Thread(this::accept, "answer-dropping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static AnswerDroppingProxy start(int nodePort, int drops) throws IOException {
        return new AnswerDroppingProxy(nodePort, drops);
    }

    int port() {
        return server.getLocalPort();
    }

    int droppedAnswers() {
        return dropped.get();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                connections.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), nodePort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            }
        } catch (IOException closed) {
            // the proxy was closed
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (answers && dropsLeft.getAndDecrement() > 0) {
                        dropped.incrementAndGet();
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, answers ? "proxy-answers" : "proxy-requests");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Closes every connection open now, on both sides, as a node closing idle connections does. */
    void closeConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
