package org.planetarymesh.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.Members;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.security.tls.TlsClients;

/**
 * What mutual TLS costs: the same map and dispatch workloads against two meshes in one JVM, each of two
 * coordinators and one client on 127.0.0.1, one plaintext and one mTLS. Both are started as production starts them
 * ({@link MemberConfigs#coordinator}, {@link Members#start} with a certificate bundle from a fresh {@link MeshCa},
 * a smart client with {@link TlsClients}). Repetitions alternate between the meshes, so drift on a shared machine
 * hits both; the table shows medians and the ratio mTLS/plain (goal >= 0.90).
 */
public final class TlsBench {

    private static final double GOAL = 0.90;
    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int SMALL = 1 << 10;
    private static final int LARGE = 64 << 10;

    public static void main(String[] args) throws Exception {
        Duration interval = Duration.ofMillis((long) (doubleArg(args, "--seconds", 1) * 1000));
        int repeats = intArg(args, "--repeats", 5);
        int threads = intArg(args, "--threads", 4);
        String only = stringArg(args, "--only", "");
        System.out.printf("mTLS benchmark: 2 coordinators + 1 smart client per mesh, plaintext vs mTLS, %d caller threads, "
                + "%d repeats of %.1f s per workload and mesh, %d cores, Java %s, load average %.1f%n", threads, repeats,
                interval.toMillis() / 1000.0, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                CPU.getSystemLoadAverage());

        Path home = Files.createTempDirectory("mesh-tls-bench");
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        List<Mesh> meshes = new ArrayList<>();
        try {
            Path certs = issueBundles(home);
            meshes.add(Mesh.start("plain", Optional.empty()));
            meshes.add(Mesh.start("mTLS", Optional.of(certs)));
            List<Workload> workloads = workloads().stream().filter(w -> w.name().contains(only)).toList();
            for (Mesh mesh : meshes) {
                mesh.fill();
            }

            for (Workload workload : workloads) { // warm-up: every path once, JIT and connections
                for (Mesh mesh : meshes) {
                    measure(callers, threads, workload.op(mesh), Duration.ofSeconds(1));
                }
            }
            Sample[][][] samples = new Sample[workloads.size()][meshes.size()][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int w = 0; w < workloads.size(); w++) {
                    for (int k = 0; k < meshes.size(); k++) {
                        int m = (r + w) % 2 == 0 ? k : meshes.size() - 1 - k; // alternate which mesh goes first
                        samples[w][m][r] = measure(callers, threads, workloads.get(w).op(meshes.get(m)), interval);
                    }
                }
            }
            printTable(workloads, samples);
            System.out.printf("load average at the end: %.1f (others' load on the machine shifts single repeats; "
                    + "CPU/op is the steadier measure)%n", CPU.getSystemLoadAverage());
            printBuffers(certs);
        } finally {
            callers.shutdownNow();
            for (Mesh mesh : meshes) {
                mesh.close();
            }
            deleteTree(home);
        }
    }

    // --- workloads

    /** One operation of a workload, called by caller thread {@code thread} for its {@code i}-th time. */
    @FunctionalInterface
    interface Op {
        void call(int thread, long i) throws Exception;
    }

    /** A workload: its name, the value size it moves per operation (0: none) and how it runs on a mesh. */
    record Workload(String name, int valueBytes, Function<Mesh, Op> onMesh) {
        Op op(Mesh mesh) {
            return onMesh.apply(mesh);
        }
    }

    private static List<Workload> workloads() {
        List<Workload> list = new ArrayList<>();
        for (int size : new int[] {SMALL, LARGE}) {
            String kib = size / 1024 + " KiB";
            list.add(new Workload("client set " + kib, size,
                    mesh -> (t, i) -> mesh.clientMap(size).set(mesh.key(size, false, t, i), mesh.value(size))));
            list.add(new Workload("client get " + kib, size,
                    mesh -> (t, i) -> mesh.clientMap(size).get(mesh.key(size, false, t, i))));
            list.add(new Workload("member set " + kib, size,
                    mesh -> (t, i) -> mesh.memberMap(size).set(mesh.key(size, true, t, i), mesh.value(size))));
            list.add(new Workload("member get " + kib, size,
                    mesh -> (t, i) -> mesh.memberMap(size).get(mesh.key(size, true, t, i))));
        }
        list.add(new Workload("client dispatch to member 2", 0,
                mesh -> (t, i) -> mesh.clientDispatch().submitToMember(new Ping(), mesh.secondSeenByClient()).get()));
        list.add(new Workload("member 1 dispatch to member 2", 0,
                mesh -> (t, i) -> mesh.memberDispatch().submitToMember(new Ping(), mesh.second().getCluster()
                        .getLocalMember()).get()));
        return list;
    }

    /** The smallest task: its round trip is the dispatch cost. Runs on the target member's dispatch executor. */
    static final class Ping implements Callable<Integer>, Serializable {
        @Override
        public Integer call() {
            return 1;
        }
    }

    /**
     * One measurement: operations per second, and the JVM's CPU time per operation (all members and clients of both
     * meshes run in this JVM; the idle mesh adds its background), which other load on the machine disturbs less.
     */
    record Sample(double opsPerSecond, double cpuMicrosPerOp) {
    }

    /** Runs {@code op} on {@code threads} callers for {@code interval}. */
    private static Sample measure(ExecutorService callers, int threads, Op op, Duration interval) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> counts = new ArrayList<>();
        long[] deadline = new long[1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            counts.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                long n = 0;
                while (System.nanoTime() < deadline[0]) {
                    op.call(thread, n++);
                }
                return n;
            }));
        }
        ready.await();
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        deadline[0] = start + interval.toNanos();
        go.countDown(); // publishes deadline to the callers
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = CPU.getProcessCpuTime() - cpuStart;
        return new Sample(total / seconds, cpu / 1e3 / Math.max(1, total));
    }

    // --- the two meshes

    /** Two coordinators and a smart client, started as production starts them. */
    static final class Mesh implements AutoCloseable {
        private static final int SMALL_KEYS = 1024;
        private static final int LARGE_KEYS = 128;

        private final String label;
        private final HazelcastInstance first;
        private final HazelcastInstance second;
        private final HazelcastInstance client;
        private final byte[] small = randomBytes(SMALL, 1);
        private final byte[] large = randomBytes(LARGE, 2);
        /** Keys whose partitions member 2 owns: an operation from member 1 on them crosses the member connection. */
        private final Integer[] smallRemote;
        private final Integer[] largeRemote;
        private final Member secondSeenByClient;

        private Mesh(String label, HazelcastInstance first, HazelcastInstance second, HazelcastInstance client) {
            this.label = label;
            this.first = first;
            this.second = second;
            this.client = client;
            this.smallRemote = ownedBySecond(SMALL_KEYS);
            this.largeRemote = ownedBySecond(LARGE_KEYS);
            this.secondSeenByClient = client.getCluster().getMembers().stream()
                    .filter(m -> m.getUuid().equals(second.getCluster().getLocalMember().getUuid()))
                    .findFirst().orElseThrow();
        }

        static Mesh start(String label, Optional<Path> certs) {
            String cluster = "bench-" + label.toLowerCase() + "-" + Long.toHexString(System.nanoTime());
            int firstPort = freePort();
            HazelcastInstance first = member(cluster, label, "coord-1", firstPort, List.of(), certs);
            HazelcastInstance second = member(cluster, label, "coord-2", freePort(), List.of("127.0.0.1:" + firstPort),
                    certs);
            poll(() -> first.getCluster().getMembers().size() == 2 && first.getPartitionService().isClusterSafe(),
                    label + " mesh: 2 members, partitions assigned");
            ClientConfig config = new ClientConfig();
            config.setClusterName(cluster);
            config.getNetworkConfig().addAddress("127.0.0.1:" + firstPort);
            config.setProperty("hazelcast.logging.type", "slf4j");
            config.setProperty("hazelcast.phone.home.enabled", "false");
            // as HazelcastMeshClient: a client bundle, and the servers must be members
            certs.ifPresent(dir -> TlsClients.useTls(config, PemIdentity.load(dir.resolve("client"), null, MeshRoles.MEMBERS)));
            HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
            poll(() -> client.getCluster().getMembers().size() == 2, label + " client: sees both members");
            return new Mesh(label, first, second, client);
        }

        /** Coordinator {@code name} (its certificate's name too) of mesh {@code label}. */
        private static HazelcastInstance member(String cluster, String label, String name, int port, List<String> join,
                                                Optional<Path> certs) {
            NodeOptions options = new NodeOptions(label + "-" + name, "127.0.0.1", port, join, cluster, 1, 0, Set.of(),
                    Path.of("."), certs.map(dir -> dir.resolve(name)));
            return Members.start(MemberConfigs.coordinator(options), options, CertificateRole.COORDINATOR);
        }

        /** Writes every key once, so that gets find values. */
        void fill() {
            for (int size : new int[] {SMALL, LARGE}) {
                int keys = size == SMALL ? SMALL_KEYS : LARGE_KEYS;
                for (int key = 0; key < keys; key++) {
                    clientMap(size).set(key, value(size));
                }
                for (Integer key : size == SMALL ? smallRemote : largeRemote) {
                    memberMap(size).set(key, value(size));
                }
            }
        }

        IMap<Integer, byte[]> clientMap(int size) {
            return client.getMap("bench-client-" + size);
        }

        IMap<Integer, byte[]> memberMap(int size) {
            return first.getMap("bench-member-" + size);
        }

        Integer key(int size, boolean remote, int thread, long i) {
            int keys = size == SMALL ? SMALL_KEYS : LARGE_KEYS;
            int index = (int) ((i * 31 + thread * 7919L) % keys);
            if (!remote) {
                return index;
            }
            Integer[] owned = size == SMALL ? smallRemote : largeRemote;
            return owned[index % owned.length];
        }

        byte[] value(int size) {
            return size == SMALL ? small : large;
        }

        IExecutorService clientDispatch() {
            return client.getExecutorService(MeshObjects.DISPATCH);
        }

        IExecutorService memberDispatch() {
            return first.getExecutorService(MeshObjects.DISPATCH);
        }

        HazelcastInstance second() {
            return second;
        }

        Member secondSeenByClient() {
            return secondSeenByClient;
        }

        private Integer[] ownedBySecond(int keys) {
            Member owner = second.getCluster().getLocalMember();
            return IntStream.range(0, keys * 4).boxed()
                    .filter(key -> owner.equals(first.getPartitionService().getPartition(key).getOwner()))
                    .limit(keys).toArray(Integer[]::new);
        }

        @Override
        public void close() {
            for (HazelcastInstance instance : new HazelcastInstance[] {client, second, first}) {
                try {
                    instance.getLifecycleService().terminate();
                } catch (RuntimeException e) {
                    System.err.println(label + ": " + e);
                }
            }
        }
    }

    /** Checks {@code condition} every 20 ms for up to 60 s (the bench has no Awaitility on its class path). */
    private static void poll(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 60 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static Path issueBundles(Path home) {
        MeshCa ca = MeshCa.init(home.resolve("ca"), "bench", Clock.systemUTC());
        Path certs = home.resolve("certs");
        ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).writeTo(certs.resolve("coord-1"));
        ca.issue(CertRequest.of("coord-2", CertificateRole.COORDINATOR)).writeTo(certs.resolve("coord-2"));
        ca.issue(CertRequest.of("client", CertificateRole.CLIENT)).writeTo(certs.resolve("client"));
        return certs;
    }

    // --- output

    private static void printTable(List<Workload> workloads, Sample[][][] samples) {
        System.out.println();
        System.out.printf("| %-29s | %20s | %20s | %10s | %17s |%n", "workload (medians)", "plain", "mTLS", "mTLS/plain",
                "CPU/op plain, mTLS");
        System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(31), "-".repeat(22), "-".repeat(22), "-".repeat(12),
                "-".repeat(19));
        int met = 0;
        for (int w = 0; w < workloads.size(); w++) {
            Workload workload = workloads.get(w);
            double plain = median(samples[w][0], Sample::opsPerSecond);
            double tls = median(samples[w][1], Sample::opsPerSecond);
            double ratio = tls / plain;
            met += ratio >= GOAL ? 1 : 0;
            System.out.printf("| %-29s | %20s | %20s | %5.2f %-4s | %6.0f, %6.0f µs |%n", workload.name(),
                    rate(plain, workload.valueBytes()), rate(tls, workload.valueBytes()), ratio, ratio >= GOAL ? "" : "<",
                    median(samples[w][0], Sample::cpuMicrosPerOp), median(samples[w][1], Sample::cpuMicrosPerOp));
        }
        System.out.printf("%ngoal mTLS/plain >= %.2f: met by %d of %d workloads%n", GOAL, met, workloads.size());
        System.out.println("all repeats (ops/s), plain | mTLS:");
        for (int w = 0; w < workloads.size(); w++) {
            System.out.printf("  %-29s %s | %s%n", workloads.get(w).name(), rounded(samples[w][0]), rounded(samples[w][1]));
        }
    }

    private static String rate(double opsPerSecond, int valueBytes) {
        return valueBytes == 0
                ? String.format("%,.0f ops/s", opsPerSecond)
                : String.format("%,.0f/s %5.1f MB/s", opsPerSecond, opsPerSecond * valueBytes / 1e6);
    }

    /** What the TLS layer holds per connection, on each end (TlsSession: two records and one plaintext record). */
    private static void printBuffers(Path certs) {
        SSLContext context = PemIdentity.load(certs.resolve("coord-1"));
        SSLSession session = context.createSSLEngine().getSession();
        int packet = session.getPacketBufferSize();
        int plain = session.getApplicationBufferSize();
        System.out.printf("%nTLS buffers per connection, on each end: %,d bytes (receive and send record %,d each, "
                + "plaintext %,d); Hazelcast's own socket buffers (hazelcast.socket.receive/send.buffer.size, 128 KiB "
                + "each by default) are the same with and without TLS.%n", 2 * packet + plain, packet, plain);
    }

    // --- small helpers

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static double median(Sample[] samples, ToDoubleFunction<Sample> value) {
        return DispatchBench.median(Arrays.stream(samples).map(value::applyAsDouble).toList());
    }

    private static List<Long> rounded(Sample[] samples) {
        return Arrays.stream(samples).map(sample -> Math.round(sample.opsPerSecond())).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        return (int) doubleArg(args, name, fallback);
    }

    private static double doubleArg(String[] args, String name, double fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Double.parseDouble(args[i + 1]);
            }
        }
        return fallback;
    }
}
