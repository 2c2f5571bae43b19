package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;
import org.planetarymesh.testing.NetworkNamespace;
import org.planetarymesh.testing.NodeProcesses;

/**
 * Fault suite, case 5: an agent process in a network namespace, joined by a veth pair, loses its link in the middle
 * of its tasks and gets it back. The coordinator and a second agent are real members in this JVM on the link's
 * near end, all over mutual TLS. Needs root and {@code ip}; skipped otherwise.
 */
class NetworkCutIT {
    private static final String FAR = "far-agent";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the far agent's log
    static Path dir;

    static NetworkNamespace net;
    static Coordinator coordinator;
    static Agent nearAgent;
    static Process farAgent;
    static MeshClient client;

    @BeforeAll
    static void startAMeshAcrossTheLink() throws IOException {
        net = NetworkNamespace.create("cut", 10);
        MeshCa ca = MeshCa.init(dir.resolve("ca"), "cut-test", Clock.systemUTC());
        for (var node : Map.of("coordinator-1", CertificateRole.COORDINATOR, "near-agent", CertificateRole.AGENT,
                FAR, CertificateRole.AGENT, "admin", CertificateRole.CLIENT).entrySet()) {
            ca.issue(CertRequest.of(node.getKey(), node.getValue())).writeTo(certs(node.getKey()));
        }
        String here = net.hereAddress();
        String cluster = "cut-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort(here);
        coordinator = Coordinator.start(new NodeOptions("coordinator-1", here, port, List.of(), cluster, 1, 0, Set.of(),
                dir.resolve("coordinator"), Optional.of(certs("coordinator-1"))), Clock.systemUTC());
        String join = here + ":" + port;
        nearAgent = Agent.start(new NodeOptions("near-agent", here, freePort(here), List.of(join), cluster, 1, 2,
                Set.of(), dir.resolve("work/near"), Optional.of(certs("near-agent"))), Clock.systemUTC());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(LocalMesh.HAZELCAST_JVM_FLAGS);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m", "-Dmesh.log.level=INFO",
                "-cp", TestMeshes.nodeClasspath(), "org.planetarymesh.node.Main", "agent", "--name", FAR,
                "--bind", net.thereAddress(), "--port", "5710", "--join", join, "--cluster-name", cluster,
                "--slots", "2", "--work-dir", dir.resolve("work/far").toString(), "--tls-dir", certs(FAR).toString()));
        farAgent = new ProcessBuilder(net.inside(command.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("far-agent.log").toFile()).start();
        client = MeshClient.connect(new MeshClientOptions(List.of(join), cluster, Duration.ofSeconds(20))
                .withTls(certs("admin")));
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(FAR) == NodeState.HEALTHY);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (farAgent != null) {
            farAgent.destroy();
            if (!farAgent.waitFor(20, TimeUnit.SECONDS)) {
                farAgent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (nearAgent != null) {
            nearAgent.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void when_anAgentIsCutOffMidTaskAndHealed_then_itsTasksRunElsewhereAndItComesBackWithoutItsStaleAttempts() {
        JobHandle job = client.submit(JobSpec.builder("cut")
                .command("sh", "-c", "if [ \"$MESH_NODE\" = " + FAR + " ]; then sleep 60; else sleep 1; fi;"
                        + " echo task {i}")
                .param("i", IntStream.rangeClosed(1, 4).boxed().toList())
                .timeout(Duration.ofSeconds(90))
                .build());
        List<String> onFar = await().atMost(Duration.ofSeconds(30)).until(() -> job.tasks().stream()
                .filter(t -> t.state() == TaskState.RUNNING && t.node().equals(Optional.of(FAR)))
                .map(TaskView::taskId).toList(), ids -> !ids.isEmpty());

        long cutAt = System.nanoTime();
        net.cut();
        try {
            await().atMost(Duration.ofSeconds(12)).until(() -> stateOf(FAR) == NodeState.OFFLINE);
            System.out.printf("network cut: %s offline after %d ms%n", FAR, (System.nanoTime() - cutAt) / 1_000_000);
            assertThat(job.await(Duration.ofSeconds(60)).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(NodeProcesses.of(FAR)).as("the cut-off agent's attempts still run").isNotEmpty();
        } finally {
            net.heal();
        }

        long healedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(FAR) == NodeState.HEALTHY);
        System.out.printf("network healed: %s healthy again after %d ms%n", FAR,
                (System.nanoTime() - healedAt) / 1_000_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> NodeProcesses.of(FAR).isEmpty());
        assertThat(job.results().outputs()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 4).mapToObj(i -> "task " + i + "\n").toList());
        Map<String, Optional<String>> nodes = job.tasks().stream()
                .collect(Collectors.toMap(TaskView::taskId, TaskView::node));
        assertThat(onFar).allSatisfy(id -> assertThat(nodes.get(id)).contains("near-agent"));
    }

    private static NodeState stateOf(String node) {
        return client.nodes().stream().filter(n -> n.name().equals(node)).map(NodeInfo::state).findFirst()
                .orElse(NodeState.OFFLINE);
    }

    private static Path certs(String name) {
        return dir.resolve("certs").resolve(name);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
