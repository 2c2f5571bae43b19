package org.planetarymesh.owner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One line each way on the control socket, with a cap on its length and a deadline: Unix domain sockets have no
 * read timeout, and a client that connects and says nothing must not hold the agent's control loop.
 */
final class ControlLines {
    private ControlLines() {
    }

    /** What came in: the line, or why there is none. */
    record Read(Optional<String> line, String problem) {
        static Read of(String line) {
            return new Read(Optional.of(line), "");
        }

        static Read failed(String problem) {
            return new Read(Optional.empty(), problem);
        }
    }

    /** The problem when the peer closed without a byte: a probe (is an agent there?), not a request. */
    static final String NOTHING_SENT = "nothing sent";

    /** Reads up to the first newline (or the end of input) in a non-blocking channel. */
    static Read readLine(SocketChannel channel, int maxBytes, Duration within) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
        long deadline = System.nanoTime() + within.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int newline = indexOfNewline(buffer);
                if (newline >= 0) {
                    return Read.of(text(buffer, newline));
                }
                if (!buffer.hasRemaining()) {
                    return Read.failed("line longer than " + maxBytes + " bytes");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Read.failed("no line within " + within.toMillis() + " ms");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                if (channel.read(buffer) < 0) {
                    return buffer.position() == 0 ? Read.failed(NOTHING_SENT) : Read.of(text(buffer, buffer.position()));
                }
            }
        }
    }

    /** Writes the line and its newline; small lines fit the socket buffer, so this does not wait in practice. */
    static void writeLine(SocketChannel channel, String line, Duration within) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + within.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining() && System.nanoTime() < deadline) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
                channel.write(out);
            }
        }
    }

    private static int indexOfNewline(ByteBuffer buffer) {
        for (int i = 0; i < buffer.position(); i++) {
            if (buffer.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String text(ByteBuffer buffer, int end) {
        String line = new String(buffer.array(), 0, end, StandardCharsets.UTF_8);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
