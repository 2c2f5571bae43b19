package org.planetarymesh.security.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay on 127.0.0.1 that forwards to one port and records every byte it forwards, both ways. */
final class Relay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromTarget = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Relay(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes sent towards the target so far. */
    byte[] sentToTarget() {
        synchronized (toTarget) {
            return toTarget.toByteArray();
        }
    }

    /** Bytes in both directions so far, as ISO-8859-1 text (one char per byte) for searching. */
    String allBytesAsText() {
        byte[] sent = sentToTarget();
        byte[] received;
        synchronized (fromTarget) {
            received = fromTarget.toByteArray();
        }
        return new String(sent, StandardCharsets.ISO_8859_1) + "\n" + new String(received, StandardCharsets.ISO_8859_1);
    }

    private void acceptLoop() {
        try {
            while (!server.isClosed()) {
                Socket in = server.accept();
                Socket out = new Socket();
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                sockets.add(in);
                sockets.add(out);
                pump(in, out, toTarget);
                pump(out, in, fromTarget);
            }
        } catch (IOException closed) {
            // the relay was closed
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream record) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
                int n;
                while ((n = is.read(buf)) > 0) {
                    synchronized (record) {
                        record.write(buf, 0, n);
                    }
                    os.write(buf, 0, n);
                }
            } catch (IOException closed) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(Relay::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
