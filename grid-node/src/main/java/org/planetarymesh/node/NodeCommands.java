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
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.Contribution;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.discovery.CoordinatorAdvert;
import org.planetarymesh.discovery.CoordinatorFinder;
import org.planetarymesh.discovery.FoundCoordinator;
import org.planetarymesh.discovery.MdnsBrowser;
import org.planetarymesh.discovery.MdnsSession;
import org.planetarymesh.discovery.MeshSelector;
import org.planetarymesh.enroll.AgentJoin;
import org.planetarymesh.enroll.EnrollmentOptions;
import org.planetarymesh.enroll.JoinToken;
import org.planetarymesh.jobs.Durations;
import org.planetarymesh.jobs.Sizes;
import org.planetarymesh.owner.AgentControlCommands;
import org.planetarymesh.owner.OwnerPolicy;
import org.planetarymesh.persistence.PersistenceOptions;
import org.planetarymesh.sandbox.Sandbox;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.submitter.MeshClientOptions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
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
                        + " ca.crt; see 'mesh cert issue'); its role must be this node's. Required unless --insecure.")
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

        @Option(names = "--discover",
                description = "Find this mesh's coordinators on the LAN with mDNS instead of --join; a coordinator also"
                        + " advertises itself. Only coordinators of this --cluster-name (and, with --tls-dir, of its"
                        + " CA) are joined.")
        boolean discover;

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

        /** The coordinators this node accepts on mDNS: its mesh, and its CA with --tls-dir (else plaintext ones). */
        MeshSelector meshSelector() {
            return meshSelector(Optional.ofNullable(tlsDir));
        }

        /** The mesh to discover: this --cluster-name, and the CA of the identity in {@code tls}, if any. */
        MeshSelector meshSelector(Optional<Path> tls) {
            if (discover && !join.isEmpty()) {
                throw new IllegalArgumentException("give --join or --discover, not both");
            }
            String ca = tls.map(dir -> Fingerprints.sha256(MeshIdentity.load(dir).caCertificate())).orElse(null);
            return MeshSelector.of(clusterName, ca);
        }
    }

    /** The coordinator advertising this mesh with the CA a join token names (mDNS, bounded wait). */
    static FoundCoordinator findByToken(Common common, JoinToken token) {
        try (CoordinatorFinder finder = CoordinatorFinder.on(common.bindAddress())) {
            return finder.coordinators(common.clusterName, token.caFingerprint(), CoordinatorFinder.DEFAULT_TIMEOUT)
                    .get(0);
        }
    }

    /** Runs {@code start} with mDNS open, and keeps mDNS open for as long as the node runs. */
    static int runDiscovering(NodeOptions options, MeshSelector mesh, Discovering start) throws Exception {
        MdnsSession mdns = MdnsSession.open(options.bindHost(), options.name());
        AutoCloseable node;
        try {
            node = start.start(mdns, mdns.browse(mesh));
        } catch (Exception | Error e) {
            mdns.close();
            throw e;
        }
        return runUntilStopped(() -> {
            try {
                node.close();
            } finally {
                mdns.close();
            }
        });
    }

    /** Starts a node that finds its coordinators through {@code browser}. */
    @FunctionalInterface
    interface Discovering {
        AutoCloseable start(MdnsSession mdns, MdnsBrowser browser);
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

        Optional<PersistenceOptions> persistence(String nodeName, int quorum) {
            if (quorum >= 2 && dbUrl == null && !inMemory) {
                // An embedded file per coordinator cannot serve several: after a failover each would load only its
                // own keys (docs/adr/0017).
                throw new IllegalArgumentException("a mesh of several coordinators (--quorum " + quorum + ") needs one"
                        + " shared database: give every coordinator the same --db-url, or --in-memory");
            }
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

        @Option(names = "--ca-dir", paramLabel = "DIR",
                description = "The mesh CA: with TLS on, run the enrollment endpoint for join tokens and renew this"
                        + " coordinator's certificate (default: $MESH_HOME/ca if it exists).")
        Path caDir;

        @Option(names = "--enroll-port", paramLabel = "PORT",
                description = "Port of the enrollment endpoint, on the --bind address (default: member port + 100;"
                        + " 0: off).")
        Integer enrollPort;

        @Mixin
        Storage storage;

        @Override
        public Integer call() throws Exception {
            NodeOptions options = new NodeOptions(common.nameOr("coordinator", port), common.bindAddress(), port, common.join,
                    common.clusterName, quorum, 0, new LinkedHashSet<>(common.labels), Path.of("."),
                    common.tls());
            EnrollmentOptions enrollment = EnrollmentOptions.of(caDir, enrollPort, port);
            Optional<PersistenceOptions> persistence = storage.persistence(options.name(), quorum);
            if (common.discover) {
                MeshSelector mesh = common.meshSelector();
                return runDiscovering(options, mesh, (mdns, browser) -> {
                    Coordinator coordinator = Coordinator.start(options.withDiscovery(browser), Clock.systemUTC(),
                            enrollment, persistence);
                    try {
                        // Advertised once the member listens, so whoever finds it can connect.
                        mdns.advertise(new CoordinatorAdvert(mesh.mesh(), mesh.caFingerprint(), options.name(),
                                options.tlsDir().isPresent() && enrollment.enabled()
                                        ? OptionalInt.of(enrollment.port()) : OptionalInt.empty()), port);
                    } catch (RuntimeException e) {
                        coordinator.close();
                        throw e;
                    }
                    System.out.println("coordinator " + options.name() + " ready at " + options.bindHost() + ":" + port
                            + ", advertised with mDNS on " + mdns.where());
                    return coordinator;
                });
            }
            Coordinator coordinator = Coordinator.start(options, Clock.systemUTC(), enrollment, persistence);
            System.out.println("coordinator " + options.name() + " ready at " + options.bindHost() + ":" + port);
            return runUntilStopped(coordinator);
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = "Start an agent: a lite member that runs tasks on this machine.",
            subcommands = {AgentControlCommands.Pause.class, AgentControlCommands.Resume.class,
                    AgentControlCommands.Status.class})
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

        @Option(names = "--max-cpus", paramLabel = "CORES",
                description = "CPU cores tasks may use together, e.g. 2 or 1.5 (default: every core).")
        Double maxCpus;

        @Option(names = "--max-memory", paramLabel = "SIZE",
                description = "Memory tasks may use together, e.g. 4GiB (default: 3/4 of physical memory).")
        String maxMemory;

        @Option(names = "--max-disk", paramLabel = "SIZE",
                description = "Work-directory space tasks may use together, e.g. 20GiB (default: half the free space).")
        String maxDisk;

        @Option(names = "--task-user", paramLabel = "USER",
                description = "When the agent runs as root, the unprivileged user (name or uid) tasks run as"
                        + " (default: nobody). Tasks never run as root.")
        String taskUser;

        @Option(names = "--when-idle",
                description = "Take work only while the owner leaves the machine idle: tasks are suspended when the"
                        + " owner's CPU load passes --idle-load, resumed when it falls, evicted (and run elsewhere)"
                        + " after --evict-after.")
        boolean whenIdle;

        @Option(names = "--idle-load", paramLabel = "LOAD", defaultValue = "0.3",
                description = "The owner's CPU load per core (0..1, mesh tasks not counted) from which the owner counts"
                        + " as active (default: ${DEFAULT-VALUE}).")
        double idleLoad;

        @Option(names = "--idle-for", paramLabel = "DURATION", defaultValue = "5m",
                description = "How long the machine must stay idle before it takes work (default: ${DEFAULT-VALUE}).")
        String idleFor;

        @Option(names = "--evict-after", paramLabel = "DURATION", defaultValue = "10m",
                description = "How long tasks stay suspended for an active owner before they are evicted and run"
                        + " elsewhere (default: ${DEFAULT-VALUE}).")
        String evictAfter;

        @Spec
        CommandSpec spec;

        @Option(names = "--check-sandbox",
                description = "Print which protections tasks get on this host, which are missing and why; then exit.")
        boolean checkSandbox;

        @Override
        public Integer call() throws Exception {
            Contribution contribution = contribution(); // bad caps fail before anything starts
            String name = common.nameOr("agent", port);
            Path work = workDir != null ? workDir : MeshClientOptions.defaultStateDir().resolve("work").resolve(name);
            if (checkSandbox) {
                NodeOptions probe = new NodeOptions(name, common.bindAddress(), port, List.of(), common.clusterName, 1,
                        1, Set.of(), work, Optional.ofNullable(common.tlsDir));
                try (Sandbox sandbox = Agent.sandbox(probe, contribution)) {
                    sandbox.report().lines().forEach(spec.commandLine().getOut()::println);
                    spec.commandLine().getOut().flush();
                }
                return 0;
            }
            if (common.join.isEmpty() && !common.discover) {
                throw new IllegalArgumentException("an agent needs --join HOST:PORT of a coordinator, or --discover");
            }
            int effectiveSlots = slots != null ? slots : Runtime.getRuntime().availableProcessors();
            if (effectiveSlots < 1) {
                throw new IllegalArgumentException("--slots must be at least 1");
            }
            if (token != null && common.insecure) {
                throw new IllegalArgumentException("--token enrolls for mutual TLS: it excludes --insecure");
            }
            List<String> enrollJoin = common.join;
            String enrollAt = enroll;
            if (token != null && common.discover && enroll == null) {
                // No address given: the coordinator to enroll with is the one whose CA the token names.
                FoundCoordinator found = findByToken(common, JoinToken.parse(token));
                enrollJoin = List.of(found.hostPort());
                enrollAt = found.advert().enrollPort().isPresent()
                        ? found.host() + ":" + found.advert().enrollPort().getAsInt() : null;
            }
            AgentJoin.Identity identity = AgentJoin.prepare(common.tlsDir, name, token, enrollAt, enrollJoin);
            Optional<Path> tls = token != null ? identity.tlsDir() : common.tls();
            NodeOptions options = new NodeOptions(name, common.bindAddress(), port, common.join, common.clusterName, 1,
                    effectiveSlots, new LinkedHashSet<>(common.labels), work, tls);
            if (common.discover) {
                return runDiscovering(options, common.meshSelector(tls), (mdns, browser) -> {
                    // Wait here, not in the member: a member that finds no one would start a mesh of its own.
                    String found = browser.require(CoordinatorFinder.DEFAULT_TIMEOUT).get(0).hostPort();
                    Agent agent = Agent.start(options.withDiscovery(browser), Clock.systemUTC(), identity.renewal(),
                            contribution);
                    System.out.println("agent " + name + " ready at " + options.bindHost() + ":" + port + " with "
                            + effectiveSlots + " slots; coordinator " + found + " found with mDNS");
                    return agent;
                });
            }
            Agent agent = Agent.start(options, Clock.systemUTC(), identity.renewal(), contribution);
            System.out.println("agent " + name + " ready at " + options.bindHost() + ":" + port + " with "
                    + effectiveSlots + " slots");
            return runUntilStopped(agent);
        }
    
        private Contribution contribution() {
            if (maxCpus != null && !(maxCpus > 0)) {
                throw new IllegalArgumentException("--max-cpus must be more than 0: " + maxCpus);
            }
            return new Contribution(maxCpus == null ? OptionalDouble.empty() : OptionalDouble.of(maxCpus),
                    size("--max-memory", maxMemory), size("--max-disk", maxDisk), Optional.ofNullable(taskUser),
                    new OwnerPolicy.Settings(idleLoad, duration("--idle-for", idleFor),
                            duration("--evict-after", evictAfter), whenIdle));
        }

        private static java.time.Duration duration(String option, String text) {
            return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                    option + ": cannot read '" + text + "' as a duration (" + Durations.FORMS + ")"));
        }

        private static OptionalLong size(String option, String text) {
            if (text == null) {
                return OptionalLong.empty();
            }
            long bytes = Sizes.parse(text).filter(b -> b > 0).orElseThrow(() -> new IllegalArgumentException(
                    option + ": cannot read '" + text + "' as a size (" + Sizes.FORMS + ")"));
            return OptionalLong.of(bytes);
        }
}
}
