package org.planetarymesh.owner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's local control channel: a Unix domain socket, readable and writable by the agent's user only, on
 * which one line ({@code pause}, {@code resume} or {@code status}) gets one JSON line back, the status after the
 * request. Local on purpose: pausing is the machine owner's right, not the mesh's, so it needs no network, no
 * certificate and no coordinator, only the owner's account.
 *
 * <p>One daemon thread accepts and answers, one request at a time; each read has a deadline, so a client that
 * says nothing delays the others by at most {@link #READ_WITHIN}.
 */
public final class AgentControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentControl.class);
    /** The longest request line, in bytes. */
    public static final int MAX_LINE_BYTES = 1024;
    /** {@code sun_path} holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;
    static final Duration READ_WITHIN = Duration.ofSeconds(2);
    static final String COMMANDS = "pause, resume, status";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final OwnerControl control;
    private final ServerSocketChannel server;
    private final Thread loop;

    private AgentControl(Path socket, OwnerControl control, ServerSocketChannel server) {
        this.socket = socket;
        this.control = control;
        this.server = server;
        this.loop = new Thread(this::acceptLoop, "agent-control-" + socket.getFileName());
        loop.setDaemon(true);
    }

    /** {@code <meshHome>/agents/<node>.sock}: where the agent named {@code node} listens. */
    public static Path socketPath(Path meshHome, String node) {
        if (node == null || node.isBlank() || node.contains("/") || node.contains("\\") || node.startsWith(".")) {
            throw new IllegalArgumentException("node name '" + node + "' cannot name a control socket file");
        }
        return meshHome.resolve("agents").resolve(node + ".sock");
    }

    /**
     * Listens at {@code socket}: creates its directory (owner-only if it creates it), replaces a stale socket left
     * by an agent that crashed, and refuses to start if another agent still answers there.
     *
     * @throws IllegalStateException    if another agent listens at {@code socket}, or a file that is not a socket is
     *                                  in the way
     * @throws IllegalArgumentException if the path is too long for a Unix domain socket
     */
    public static AgentControl open(Path socket, OwnerControl control) throws IOException {
        Objects.requireNonNull(control, "control");
        Path path = socket.toAbsolutePath();
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("control socket path " + path + " is " + length + " bytes, more than"
                    + " the " + MAX_PATH_BYTES + " a Unix domain socket allows: use a shorter MESH_HOME");
        }
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            if (posix()) {
                // owner-only directory: no window in which another user could reach the socket before its chmod
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        replaceStale(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            if (posix()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
        AgentControl agentControl = new AgentControl(path, control, server);
        agentControl.loop.start();
        LOG.info("agent control listening socket={}", path);
        return agentControl;
    }

    public Path socket() {
        return socket;
    }

    private static void replaceStale(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IllegalStateException(path + " is in the way of the agent's control socket and is not a"
                    + " socket: move it away");
        }
        boolean answered;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            answered = probe.isConnected();
        } catch (IOException refused) {
            answered = false;
        }
        if (answered) {
            throw new IllegalStateException("an agent already listens at " + path + ": is this node started twice?");
        }
        // nobody answers: the socket file of an agent that did not close it (crash, kill -9)
        Files.delete(path);
        LOG.info("agent control replaced a stale socket socket={}", path);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                client.configureBlocking(false);
                ControlLines.Read request = ControlLines.readLine(client, MAX_LINE_BYTES, READ_WITHIN);
                if (request.problem().equals(ControlLines.NOTHING_SENT)) {
                    continue; // a probe such as a starting agent's "is anyone there?": nobody to answer
                }
                String reply = request.line().map(this::answer).orElseGet(() -> error(request.problem()));
                ControlLines.writeLine(client, reply, READ_WITHIN);
            } catch (ClosedChannelException closed) {
                return; // close(): the server channel was closed under accept()
            } catch (IOException e) {
                // one client hung up or misbehaved; the next one is served
                LOG.warn("agent control request failed socket={} reason={}", socket, e.toString());
            } catch (RuntimeException e) {
                LOG.warn("agent control request failed socket={} reason={}", socket, e.toString());
            }
        }
    }

    /** The reply to one request line. */
    String answer(String line) {
        String command = line.strip();
        return switch (command) {
            case "pause" -> json(control.pause());
            case "resume" -> json(control.resume());
            case "status" -> json(control.status());
            default -> error("unknown command: " + (command.length() > 40 ? command.substring(0, 40) + "..." : command)
                    + " (" + COMMANDS + ")");
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String error(String message) {
        return json(Map.of("error", message));
    }

    /** Stops listening and removes the socket file, so clients are told plainly that no agent runs. */
    @Override
    public void close() {
        if (!server.isOpen()) {
            return;
        }
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("agent control close failed socket={} reason={}", socket, e.toString());
        }
        LOG.info("agent control closed socket={}", socket);
    }
}
