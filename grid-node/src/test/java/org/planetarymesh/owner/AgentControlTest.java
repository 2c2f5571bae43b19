package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control socket for real, in a short directory under /tmp (a socket path holds at most 107 bytes). */
class AgentControlTest {
    private Path home;
    private Path socket;
    private final FakeOwner owner = new FakeOwner();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void home() throws IOException {
        home = Files.createTempDirectory(Path.of("/tmp"), "ac");
        socket = AgentControl.socketPath(home, "lab-3");
    }

    @AfterEach
    void clean() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private AgentControl listen() throws IOException {
        AgentControl control = AgentControl.open(socket, owner);
        open.add(control);
        return control;
    }

    @Test
    void when_theOwnerSendsPauseResumeAndStatus_then_eachGetsTheStatusAfterItAsOneJsonLine() throws IOException {
        listen();

        assertThat(AgentControlClient.send(socket, "pause")).isEqualTo("{\"node\":\"lab-3\",\"state\":\"SUSPENDED\","
                + "\"accepting\":false,\"reason\":\"paused by its owner\",\"running\":0,\"suspended\":2,\"load\":0.1}");
        assertThat(AgentControlClient.send(socket, "status")).contains("\"state\":\"SUSPENDED\"");
        assertThat(AgentControlClient.send(socket, "resume")).isEqualTo("{\"node\":\"lab-3\",\"state\":\"ACCEPTING\","
                + "\"accepting\":true,\"reason\":\"\",\"running\":2,\"suspended\":0,\"load\":0.1}");
        assertThat(owner.calls).containsExactly("pause", "status", "resume");
    }

    @Test
    void when_theCommandIsUnknown_then_theReplyNamesTheKnownOnes() throws IOException {
        listen();

        assertThat(AgentControlClient.send(socket, "stop")).isEqualTo(
                "{\"error\":\"unknown command: stop (pause, resume, status)\"}");
        assertThat(owner.calls).isEmpty();
    }

    @Test
    void when_aRequestLineIsLongerThanOneKibibyte_then_itIsRefusedUnread() throws IOException {
        listen();

        assertThat(AgentControlClient.send(socket, "p".repeat(2000))).isEqualTo(
                "{\"error\":\"line longer than 1024 bytes\"}");
        assertThat(AgentControlClient.send(socket, "status")).contains("\"node\":\"lab-3\"");
    }

    @Test
    void when_theAgentListens_then_onlyItsUserMayUseTheSocket() throws IOException {
        listen();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void when_aCrashedAgentLeftItsSocketFile_then_theNextAgentReplacesIt() throws IOException {
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists(); // closing a Unix socket leaves its file, as a crash does

        listen();

        assertThat(AgentControlClient.send(socket, "status")).contains("\"node\":\"lab-3\"");
    }

    @Test
    void when_anotherAgentStillListens_then_aSecondOneWithTheSameNameIsRefused() throws IOException {
        listen();

        assertThatThrownBy(() -> AgentControl.open(socket, owner)).isInstanceOf(IllegalStateException.class)
                .hasMessage("an agent already listens at " + socket + ": is this node started twice?");
        assertThat(AgentControlClient.send(socket, "status")).contains("\"node\":\"lab-3\"");
    }

    @Test
    void when_aFileThatIsNotASocketIsInTheWay_then_itIsLeftAloneAndTheAgentSaysSo() throws IOException {
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "notes");

        assertThatThrownBy(() -> AgentControl.open(socket, owner)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a socket");
        assertThat(socket).hasContent("notes");
    }

    @Test
    void when_theAgentCloses_then_itsSocketFileIsGoneAndClientsAreToldNoAgentRuns() throws IOException {
        AgentControl control = listen();
        control.close();

        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> AgentControlClient.send(socket, "status"))
                .isInstanceOf(AgentControlClient.NoAgentException.class)
                .hasMessage("no agent is running at " + socket + ": is it started?");
    }

    @Test
    void when_aStaleSocketFileHasNoAgent_then_theClientSaysNoAgentRuns() throws IOException {
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }

        assertThatThrownBy(() -> AgentControlClient.send(socket, "pause"))
                .isInstanceOf(AgentControlClient.NoAgentException.class);
    }

    @Test
    void when_aClientConnectsAndSaysNothing_then_othersAreStillAnsweredSoonAfter() throws Exception {
        listen();
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            CompletableFuture<String> next = CompletableFuture.supplyAsync(
                    () -> AgentControlClient.send(socket, "status"));

            assertThat(next.get(AgentControl.READ_WITHIN.toSeconds() + 5, TimeUnit.SECONDS)).contains("lab-3");
            ByteBuffer reply = ByteBuffer.allocate(256);
            silent.read(reply);
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8))
                    .startsWith("{\"error\":\"no line within");
        }
    }

    @Test
    void when_theSocketPathIsMadeForANode_then_itIsUnderAgentsAndRefusesNamesThatAreNotFileNames() {
        assertThat(AgentControl.socketPath(Path.of("/home/ada/.planetary-mesh"), "lab-3"))
                .isEqualTo(Path.of("/home/ada/.planetary-mesh/agents/lab-3.sock"));
        assertThatThrownBy(() -> AgentControl.socketPath(home, "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentControl.socketPath(home, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void when_theSocketPathIsTooLongForAUnixSocket_then_theAgentSaysWhatToDo() {
        Path deep = AgentControl.socketPath(home.resolve("x".repeat(120)), "lab-3");

        assertThatThrownBy(() -> AgentControl.open(deep, owner)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use a shorter MESH_HOME");
    }

    /** Answers as an agent with two tasks would; records what it was asked. */
    private static final class FakeOwner implements OwnerControl {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile OwnerStatus current = new OwnerStatus("lab-3", OwnerState.ACCEPTING, true, "", 2, 0, 0.1);

        @Override
        public OwnerStatus pause() {
            calls.add("pause");
            current = new OwnerStatus("lab-3", OwnerState.SUSPENDED, false, "paused by its owner", 0, 2, 0.1);
            return current;
        }

        @Override
        public OwnerStatus resume() {
            calls.add("resume");
            current = new OwnerStatus("lab-3", OwnerState.ACCEPTING, true, "", 2, 0, 0.1);
            return current;
        }

        @Override
        public OwnerStatus status() {
            calls.add("status");
            return current;
        }
    }
}
