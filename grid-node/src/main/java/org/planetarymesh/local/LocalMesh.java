package org.planetarymesh.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.NodeInfo;

/**
 * A mesh of separate JVM processes on 127.0.0.1 (free ports), started in the background like
 * {@code docker compose up}: its state (processes, ports, logs) lives in one directory, and
 * {@code mesh.properties} there tells clients where to connect.
 */
public final class LocalMesh {
    static final String STATE_FILE = "local-mesh.json";
    /** What the scheduler logs when it takes the leader lock (Scheduler). */
    private static final String LEADERSHIP_LINE = "leadership acquired epoch=";
    /** The name of the client identity {@code up} issues for the shell and local apps. */
    public static final String CLIENT_NAME = "local-client";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String HOST = "127.0.0.1";
    /** What Hazelcast asks for on Java 9+ to reach the internals it uses for speed (same list as bin/mesh). */
    static final List<String> HAZELCAST_JVM_FLAGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** One process of the local mesh; {@code args} start it again the same way. */
    public record NodeProcess(String name, String role, long pid, String address, String log, List<String> args) {
        public NodeProcess {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** The coordinator that leads the scheduler, as its log says, and the epoch it leads with. */
    public record Leader(String node, long epoch) {
    }

    /** What {@code up} wrote down. */
    public record State(String clusterName, List<NodeProcess> nodes) {
        public List<String> coordinatorAddresses() {
            return nodes.stream().filter(n -> n.role().equals("coordinator")).map(NodeProcess::address).toList();
        }
    }

    private final Path stateDir;
    private final String classpath;
    private final List<String> jvmOptions;

    public LocalMesh(Path stateDir, String classpath, List<String> jvmOptions) {
        this.stateDir = stateDir;
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The class path and JVM of this process, for meshes started by the {@code mesh} command itself. */
    public static LocalMesh forThisJvm(Path stateDir) {
        return new LocalMesh(stateDir, System.getProperty("java.class.path"), List.of());
    }

    public Path stateDir() {
        return stateDir;
    }

    /**
     * Starts {@code coordinators} coordinators and {@code agents} agents with mutual TLS and waits until every
     * one is in the registry. On failure, stops whatever it started and throws with the failing node's log tail.
     */
    public State up(int coordinators, int agents, int slotsPerAgent, Duration timeout, PrintStream out) {
        return up(coordinators, agents, slotsPerAgent, true, timeout, out);
    }

    /**
     * As {@link #up(int, int, int, Duration, PrintStream)}. With {@code tls} (the default) every connection is
     * mutual TLS: the CA in {@code <stateDir>/ca} (created if absent) issues a bundle per node and one for
     * clients ({@value #CLIENT_NAME}) into {@code <stateDir>/certs}, and {@code mesh.properties} names the
     * client's. Without, every node is started {@code --insecure}.
     */
    public State up(int coordinators, int agents, int slotsPerAgent, boolean tls, Duration timeout, PrintStream out) {
        if (coordinators < 1 || agents < 0) {
            throw new MeshException("a local mesh needs at least 1 coordinator and 0 or more agents");
        }
        Optional<State> existing = read();
        if (existing.isPresent() && existing.get().nodes().stream().anyMatch(NodeProcess::alive)) {
            throw new MeshException("a local mesh is already running in " + stateDir + ": stop it with 'bin/mesh down'");
        }
        createDirectories(stateDir.resolve("logs"));
        // Every up is a new mesh (a new name): the databases of an earlier one would bring back its jobs and nodes.
        deleteRecursively(stateDir.resolve("data"));
        String clusterName = "local-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> coordinatorPorts = freePorts(coordinators);
        List<String> coordinatorAddresses = coordinatorPorts.stream().map(p -> HOST + ":" + p).toList();
        List<NodeProcess> started = new ArrayList<>();
        State state = new State(clusterName, started);
        Optional<LocalPki> pki = tls ? Optional.of(LocalPki.in(stateDir, HOST)) : Optional.empty();
        try {
            for (int i = 0; i < coordinators; i++) {
                String name = "coordinator-" + (i + 1);
                int port = coordinatorPorts.get(i);
                List<String> args = new ArrayList<>(List.of("coordinator", "--name", name,
                        "--bind", HOST, "--port", String.valueOf(port), "--cluster-name", clusterName,
                        "--quorum", String.valueOf(coordinators / 2 + 1),
                        // Its nodes get certificates from the CA directly; an endpoint would only take a port.
                        "--enroll-port", "0"));
                args.add("--join=" + String.join(",", coordinatorAddresses));
                // An H2 file per coordinator is only sound for a single one (docs/adr/0017): several would each
                // load their own file's keys after a failover. Several coordinators need a shared --db-url.
                args.addAll(coordinators == 1
                        ? List.of("--data-dir", stateDir.resolve("data").resolve(name).toString())
                        : List.of("--in-memory"));
                args.addAll(pki.map(p -> List.of("--tls-dir", p.issue(name, CertificateRole.COORDINATOR).toString()))
                        .orElse(List.of("--insecure")));
                started.add(spawn(name, "coordinator", HOST + ":" + port, args, false));
            }
            List<Integer> agentPorts = freePorts(agents);
            for (int i = 0; i < agents; i++) {
                String name = "agent-" + (i + 1);
                int port = agentPorts.get(i);
                List<String> args = new ArrayList<>(List.of("agent", "--name", name, "--bind", HOST,
                        "--port", String.valueOf(port), "--cluster-name", clusterName,
                        "--join=" + String.join(",", coordinatorAddresses), "--slots", String.valueOf(slotsPerAgent),
                        "--work-dir", stateDir.resolve("work").resolve(name).toString()));
                args.addAll(pki.map(p -> List.of("--tls-dir", p.issue(name, CertificateRole.AGENT).toString()))
                        .orElse(List.of("--insecure")));
                started.add(spawn(name, "agent", HOST + ":" + port, args, false));
            }
            Optional<Path> clientIdentity = pki.map(p -> p.issue(CLIENT_NAME, CertificateRole.CLIENT));
            write(state, clientIdentity);
            awaitRegistered(state, clientIdentity, timeout);
            out.printf("local mesh up: %d coordinator(s), %d agent(s), mesh '%s' at %s%n", coordinators, agents,
                    clusterName, String.join(",", coordinatorAddresses));
            pki.ifPresent(p -> out.printf("mutual TLS on: mesh CA %s in %s, client identity %s%n", p.fingerprint(),
                    p.caDir(), clientIdentity.orElseThrow()));
            return state;
        } catch (RuntimeException e) {
            stop(started, Duration.ofSeconds(10));
            deleteState();
            throw e;
        }
    }

    /** The processes of the running local mesh, if any. */
    public Optional<State> read() {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            throw new MeshException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops every process the mesh started (SIGTERM, then SIGKILL after the grace period). */
    public int down(Duration grace) {
        Optional<State> state = read();
        if (state.isEmpty()) {
            return 0;
        }
        int stopped = stop(state.get().nodes(), grace);
        deleteState();
        return stopped;
    }

    /**
     * The live coordinator that last logged {@code leadership acquired}, with the highest epoch: who schedules
     * now, as far as the logs tell (the leader lock itself lives in the mesh).
     */
    public Optional<Leader> leader() {
        Leader best = null;
        for (NodeProcess node : read().map(State::nodes).orElse(List.of())) {
            if (!node.role().equals("coordinator") || !node.alive()) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(node.log()));
            } catch (IOException e) {
                continue; // not written yet
            }
            for (String line : lines) {
                int at = line.indexOf(LEADERSHIP_LINE);
                if (at >= 0) {
                    String rest = line.substring(at + LEADERSHIP_LINE.length());
                    long epoch = Long.parseLong(rest.substring(0, rest.indexOf(' ')));
                    if (best == null || epoch > best.epoch()) {
                        best = new Leader(node.name(), epoch);
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Connects a client to this local mesh. */
    public MeshClient connect() {
        return MeshClient.connect(MeshClientOptions.localMesh(stateDir));
    }

    /** Kills one node with SIGKILL, as a crash or a pulled plug would, and waits until it is gone. */
    public void kill(String name) {
        NodeProcess node = node(name);
        ProcessHandle.of(node.pid()).ifPresent(handle -> {
            handle.destroyForcibly();
            handle.onExit().join();
        });
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to one node: STOP freezes it like a sleeping laptop. */
    public void signal(String name, String signal) {
        NodeProcess node = node(name);
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new MeshException("cannot send SIG" + signal + " to " + name + " (pid " + node.pid() + ")");
            }
        } catch (IOException e) {
            throw new MeshException("cannot send SIG" + signal + " to " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted");
        }
    }

    /**
     * Starts a node of this mesh again, with the arguments it was first started with (same name, port and
     * identity); a running one is stopped first (SIGTERM, then SIGKILL after {@code grace}). Its log continues.
     */
    public NodeProcess restart(String name, Duration grace) {
        return restart(name, List.of(), grace);
    }

    /**
     * As {@link #restart(String, Duration)}, with {@code extraArgs} added to its command line (and kept for later
     * restarts): e.g. an agent's owner policy or caps.
     */
    public NodeProcess restart(String name, List<String> extraArgs, Duration grace) {
        NodeProcess old = node(name);
        stop(List.of(old), grace);
        List<String> args = new ArrayList<>(old.args());
        args.addAll(extraArgs);
        NodeProcess started = spawn(old.name(), old.role(), old.address(), args, true);
        State state = read().orElseThrow();
        List<NodeProcess> nodes = state.nodes().stream().map(n -> n.name().equals(name) ? started : n).toList();
        writeState(new State(state.clusterName(), nodes));
        return started;
    }

    private NodeProcess node(String name) {
        State state = read().orElseThrow(() -> new MeshException("no local mesh in " + stateDir));
        return state.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new MeshException("no node '" + name + "' in the local mesh in " + stateDir));
    }

    /**
     * Stops every coordinator (SIGTERM, or SIGKILL at once with {@code kill}) and starts each again with the same
     * command line: the same port, data directory and identity. Agents keep running.
     */
    public State restartCoordinators(boolean kill, Duration grace) {
        State state = read().orElseThrow(() -> new MeshException("no local mesh in " + stateDir));
        List<NodeProcess> coordinators = state.nodes().stream().filter(n -> n.role().equals("coordinator")).toList();
        if (kill) {
            coordinators.forEach(c -> ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly));
        }
        stop(coordinators, grace);
        List<NodeProcess> nodes = new ArrayList<>();
        for (NodeProcess node : state.nodes()) {
            nodes.add(node.role().equals("coordinator")
                    ? spawn(node.name(), node.role(), node.address(), node.args(), true) : node);
        }
        State restarted = new State(state.clusterName(), nodes);
        writeState(restarted);
        return restarted;
    }

    private NodeProcess spawn(String name, String role, String address, List<String> args, boolean appendLog) {
        Path log = stateDir.resolve("logs").resolve(name + ".log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // own session: the node outlives this command and a Ctrl-C here
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HAZELCAST_JVM_FLAGS);
        command.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1"));
        command.add(role.equals("coordinator") ? "-Xmx384m" : "-Xmx192m");
        if (role.equals("agent") && System.getProperty("os.name", "").startsWith("Linux")) {
            command.add("-Djdk.lang.Process.launchMechanism=VFORK"); // faster launches; Linux only
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "org.planetarymesh.node.Main"));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // The mesh's own home: its agents' control sockets (agent pause --mesh-home DIR) live in it.
            builder.environment().put("MESH_HOME", stateDir.toString());
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new NodeProcess(name, role, process.pid(), address, log.toString(), args);
        } catch (IOException e) {
            throw new MeshException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void awaitRegistered(State state, Optional<Path> clientIdentity, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> expected = state.nodes().stream().map(NodeProcess::name).collect(Collectors.toSet());
        MeshClientOptions options = new MeshClientOptions(state.coordinatorAddresses(), state.clusterName(), timeout,
                clientIdentity);
        try (MeshClient client = connectBefore(options, deadline)) {
            while (true) {
                for (NodeProcess node : state.nodes()) {
                    if (!node.alive()) {
                        throw new MeshException(node.name() + " exited during start-up; last lines of " + node.log()
                                + ":\n" + tail(Path.of(node.log()), 15));
                    }
                }
                Set<String> online = client.nodes().stream().filter(NodeInfo::online).map(NodeInfo::name)
                        .collect(Collectors.toSet());
                if (online.containsAll(expected)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    expected.removeAll(online);
                    throw new MeshException("nodes did not join within " + timeout.toSeconds() + "s: " + expected);
                }
                pause(Duration.ofMillis(100));
            }
        }
    }

    /** Connects, trying again while the coordinators are still too few for their quorum. */
    private static MeshClient connectBefore(MeshClientOptions options, long deadline) {
        while (true) {
            try {
                return MeshClient.connect(options);
            } catch (MeshException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    private static int stop(List<NodeProcess> nodes, Duration grace) {
        int stopped = 0;
        List<ProcessHandle> handles = new ArrayList<>();
        // Agents first, so that coordinators do not requeue the tasks of agents that are leaving anyway.
        List<NodeProcess> order = new ArrayList<>(nodes.stream().filter(n -> n.role().equals("agent")).toList());
        order.addAll(nodes.stream().filter(n -> !n.role().equals("agent")).toList());
        for (NodeProcess node : order) {
            Optional<ProcessHandle> handle = ProcessHandle.of(node.pid());
            if (handle.isPresent() && handle.get().isAlive()) {
                handle.get().destroy();
                handles.add(handle.get());
                stopped++;
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : handles) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                handle.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                handle.destroyForcibly();
            }
        }
        return stopped;
    }

    private void writeState(State state) {
        try {
            JSON.writeValue(stateDir.resolve(STATE_FILE).toFile(), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(State state, Optional<Path> clientIdentity) {
        try {
            writeState(state);
            // Relative to the state directory, so no path escaping in a properties file.
            String tls = clientIdentity.map(dir -> MeshClientOptions.TLS_IDENTITY_PROPERTY + "="
                    + stateDir.relativize(dir).toString().replace('\\', '/') + "\n").orElse("");
            Files.writeString(stateDir.resolve(MeshClientOptions.LOCAL_MESH_FILE),
                    "# written by 'mesh up'; read by clients to find the local mesh\n"
                            + "cluster.name=" + state.clusterName() + "\n"
                            + "coordinators=" + String.join(",", state.coordinatorAddresses()) + "\n" + tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteState() {
        try {
            Files.deleteIfExists(stateDir.resolve(STATE_FILE));
            Files.deleteIfExists(stateDir.resolve(MeshClientOptions.LOCAL_MESH_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(HOST)));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a port we only reserved for a moment
                }
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // polling interval of a command-line wait loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted");
        }
    }
}
