package org.planetarymesh.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.persistence.PersistenceOptions;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.submitter.MeshClientOptions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The two roles a grid node can run in the foreground: coordinator and agent. */
public final class NodeCommands {
    private NodeCommands() {
    }

    /** Options every node takes. */
    static final class Common {
        @Option(names = "--name", description = "Unique node name (default: host name and port).")
        String name;

        @Option(names = "--bind", defaultValue = "127.0.0.1",
                description = "Address to bind and advertise (default: ${DEFAULT-VALUE}; use the LAN address to join other machines).")
        String bind;

        @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
                description = "Coordinator address(es) to join.")
        List<String> join = new ArrayList<>();

        @Option(names = "--cluster-name", defaultValue = MeshClientOptions.DEFAULT_CLUSTER_NAME,
                description = "The mesh's name (default: ${DEFAULT-VALUE}).")
        String clusterName;

        @Option(names = "--label", paramLabel = "LABEL", description = "A label offered to jobs (repeatable).")
        List<String> labels = new ArrayList<>();

        @Option(names = "--tls-dir", paramLabel = "DIR",
                description = "Mutual TLS on every connection with the identity issued into DIR (node.key, node.crt,"
                        + " ca.crt; see 'mesh cert issue'); its role must be this node's. Default: plaintext.")
        Path tlsDir;

        @Option(names = "--insecure",
                description = "Run without TLS: plaintext connections that anyone on the network can join and read.")
        boolean insecure;

        /** TLS unless asked otherwise, and then loudly: plaintext is never the silent default. */
        Optional<Path> tls() {
            if (tlsDir != null && insecure) {
                throw new IllegalArgumentException("--tls-dir and --insecure exclude each other");
            }
            if (tlsDir == null && !insecure) {
                throw new IllegalArgumentException("mutual TLS is required: give --tls-dir DIR with an identity from"
                        + " 'mesh cert issue', or --insecure for a plaintext mesh on a network you trust");
            }
            if (insecure) {
                LoggerFactory.getLogger(NodeCommands.class).warn("--insecure: plaintext connections; any"
                        + " process that can reach port(s) of this mesh can join it, read its jobs and run tasks");
            }
            return Optional.ofNullable(tlsDir);
        }

        /** Hazelcast binds to interfaces by IP: a host name given here is resolved once at start. */
        String bindAddress() {
            try {
                return InetAddress.getByName(bind).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind " + bind + ": unknown host");
            }
        }

        /** The name given, else the one in the TLS certificate, else host name, role and port. */
        String nameOr(String role, int port) {
            if (name != null && !name.isBlank()) {
                return name;
            }
            if (tlsDir != null && Files.isRegularFile(tlsDir.resolve(PemIdentity.CERT_FILE))) {
                return PemIdentity.nameIn(tlsDir); // a missing identity fails later, with its own message
            }
            try {
                return InetAddress.getLocalHost().getHostName() + "-" + role + "-" + port;
            } catch (UnknownHostException e) {
                return role + "-" + port;
            }
        }
    }

    /** Where a coordinator stores the mesh's maps (docs/adr/0017). */
    static final class Storage {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where the embedded H2 database lives (DIR/db.mv.db); default: $MESH_HOME/data/NAME.")
        Path dataDir;

        @Option(names = "--db-url", paramLabel = "JDBC_URL",
                description = "Store in this database instead, e.g. jdbc:postgresql://host/mesh; every coordinator of a"
                        + " mesh with several must be given the same. Password from $" + PersistenceOptions.PASSWORD_VARIABLE
                        + ".")
        String dbUrl;

        @Option(names = "--db-user", paramLabel = "USER", description = "The database user for --db-url.")
        String dbUser;

        @Option(names = "--in-memory",
                description = "Store nothing: jobs, tasks and nodes are lost when every coordinator stops.")
        boolean inMemory;

        Optional<PersistenceOptions> persistence(String nodeName) {
            if (inMemory && (dbUrl != null || dataDir != null)) {
                throw new IllegalArgumentException("--in-memory excludes --db-url and --data-dir");
            }
            if (dbUrl != null && dataDir != null) {
                throw new IllegalArgumentException("--db-url and --data-dir exclude each other");
            }
            if (inMemory) {
                return Optional.empty();
            }
            if (dbUrl != null) {
                return Optional.of(new PersistenceOptions(dbUrl, dbUser,
                        System.getenv(PersistenceOptions.PASSWORD_VARIABLE)));
            }
            Path dir = dataDir != null ? dataDir : MeshClientOptions.defaultStateDir().resolve("data").resolve(nodeName);
            return Optional.of(PersistenceOptions.h2In(dir));
        }
    }

    /** Runs until SIGTERM/SIGINT, then leaves the mesh gracefully. */
    static int runUntilStopped(AutoCloseable node) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("mesh: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "mesh-shutdown"));
        stopped.await();
        return 0;
    }

    @Command(name = "coordinator", mixinStandardHelpOptions = true,
            description = "Start a coordinator: a data member that stores jobs and can run the scheduler.")
    public static final class CoordinatorCommand implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--port", defaultValue = "5701", description = "Member port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--quorum", defaultValue = "1",
                description = "Coordinators that must be reachable for jobs to be written (default: ${DEFAULT-VALUE}).")
        int quorum;

        @Mixin
        Storage storage;

        @Override
        public Integer call() throws Exception {
            NodeOptions options = new NodeOptions(common.nameOr("coordinator", port), common.bindAddress(), port, common.join,
                    common.clusterName, quorum, 0, new LinkedHashSet<>(common.labels), Path.of("."),
                    common.tls());
            Coordinator coordinator = Coordinator.start(options, storage.persistence(options.name()), Clock.systemUTC());
            System.out.println("coordinator " + options.name() + " ready at " + options.bindHost() + ":" + port);
            return runUntilStopped(coordinator);
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = "Start an agent: a lite member that runs tasks on this machine.")
    public static final class AgentCommand implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--port", defaultValue = "5710", description = "Member port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--slots", description = "Tasks run at once (default: the number of cores).")
        Integer slots;

        @Option(names = "--work-dir", description = "Where task attempts get their working directories.")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            if (common.join.isEmpty()) {
                throw new IllegalArgumentException("an agent needs --join HOST:PORT of a coordinator");
            }
            String name = common.nameOr("agent", port);
            int effectiveSlots = slots != null ? slots : Runtime.getRuntime().availableProcessors();
            if (effectiveSlots < 1) {
                throw new IllegalArgumentException("--slots must be at least 1");
            }
            Path work = workDir != null ? workDir : MeshClientOptions.defaultStateDir().resolve("work").resolve(name);
            NodeOptions options = new NodeOptions(name, common.bindAddress(), port, common.join, common.clusterName, 1,
                    effectiveSlots, new LinkedHashSet<>(common.labels), work, common.tls());
            Agent agent = Agent.start(options, Clock.systemUTC());
            System.out.println("agent " + name + " ready at " + options.bindHost() + ":" + port + " with "
                    + effectiveSlots + " slots");
            return runUntilStopped(agent);
        }
    }
}
