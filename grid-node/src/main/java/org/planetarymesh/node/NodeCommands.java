package org.planetarymesh.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
import org.planetarymesh.enroll.AgentJoin;
import org.planetarymesh.enroll.EnrollmentOptions;
import org.planetarymesh.submitter.MeshClientOptions;
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

        /** Hazelcast binds to interfaces by IP: a host name given here is resolved once at start. */
        String bindAddress() {
            try {
                return InetAddress.getByName(bind).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind " + bind + ": unknown host");
            }
        }

        String nameOr(String role, int port) {
            if (name != null && !name.isBlank()) {
                return name;
            }
            try {
                return InetAddress.getLocalHost().getHostName() + "-" + role + "-" + port;
            } catch (UnknownHostException e) {
                return role + "-" + port;
            }
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

        @Option(names = "--ca-dir", paramLabel = "DIR",
                description = "The mesh CA: with TLS on, run the enrollment endpoint for join tokens and renew this"
                        + " coordinator's certificate (default: $MESH_HOME/ca if it exists).")
        Path caDir;

        @Option(names = "--enroll-port", paramLabel = "PORT",
                description = "Port of the enrollment endpoint, on the --bind address (default: member port + 100;"
                        + " 0: off).")
        Integer enrollPort;

        @Override
        public Integer call() throws Exception {
            NodeOptions options = new NodeOptions(common.nameOr("coordinator", port), common.bindAddress(), port, common.join,
                    common.clusterName, quorum, 0, new LinkedHashSet<>(common.labels), Path.of("."),
                    Optional.ofNullable(common.tlsDir));
            Coordinator coordinator = Coordinator.start(options, Clock.systemUTC(),
                    EnrollmentOptions.of(caDir, enrollPort, port));
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

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "A join token ('mesh token create'): on first start, enroll for a certificate into"
                        + " --tls-dir (default: $MESH_HOME/identity/NAME) and join over mutual TLS; later starts reuse"
                        + " that identity and ignore the token.")
        String token;

        @Option(names = "--enroll", paramLabel = "HOST:PORT",
                description = "The enrollment endpoint, for --token and renewals (default: each --join address with"
                        + " port + 100).")
        String enroll;

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
            AgentJoin.Identity identity = AgentJoin.prepare(common.tlsDir, name, token, enroll, common.join);
            NodeOptions options = new NodeOptions(name, common.bindAddress(), port, common.join, common.clusterName, 1,
                    effectiveSlots, new LinkedHashSet<>(common.labels), work, identity.tlsDir());
            Agent agent = Agent.start(options, Clock.systemUTC(), identity.renewal());
            System.out.println("agent " + name + " ready at " + options.bindHost() + ":" + port + " with "
                    + effectiveSlots + " slots");
            return runUntilStopped(agent);
        }
    }
}
