package org.planetarymesh.owner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Sends one command to a running agent's {@link AgentControl} socket and returns its one-line JSON reply. */
public final class AgentControlClient {
    /** Long enough for the agent to suspend a few process trees before it answers a pause. */
    static final Duration REPLY_WITHIN = Duration.ofSeconds(10);

    private AgentControlClient() {
    }

    /** No agent answers at the socket: not started, stopped, or another node's name. */
    public static final class NoAgentException extends RuntimeException {
        NoAgentException(Path socket) {
            super("no agent is running at " + socket + ": is it started?");
        }
    }

    /**
     * @throws NoAgentException     if nothing listens at {@code socket}
     * @throws UncheckedIOException if the agent did not answer properly
     */
    public static String send(Path socket, String command) {
        if (!Files.exists(socket)) {
            throw new NoAgentException(socket);
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException refused) {
                channel.close();
                throw new NoAgentException(socket); // a stale socket file: the agent crashed
            }
        } catch (IOException e) {
            throw new UncheckedIOException("agent control " + socket + ": " + e.getMessage(), e);
        }
        try (channel) {
            channel.configureBlocking(false);
            ControlLines.writeLine(channel, command, REPLY_WITHIN);
            ControlLines.Read reply = ControlLines.readLine(channel, 64 * 1024, REPLY_WITHIN);
            return reply.line().orElseThrow(() -> new UncheckedIOException(new IOException(
                    "agent at " + socket + " did not answer '" + command + "': " + reply.problem())));
        } catch (IOException e) {
            throw new UncheckedIOException("agent control " + socket + ": " + e.getMessage(), e);
        }
    }
}
