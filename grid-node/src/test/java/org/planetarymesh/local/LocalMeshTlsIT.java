package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.security.tls.TlsClients;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/**
 * {@code mesh up --tls}: 1 coordinator and 2 agents as separate JVMs, every connection mutual TLS with
 * certificates from the local mesh's CA. Shares nothing with {@link LocalMeshIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalMeshTlsIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(60);
    private static final String BLOCKED = "agent-2";

    @TempDir
    static Path home;

    static LocalMesh mesh;

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(1, 2, 2, true, Duration.ofSeconds(60), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    @Test
    void when_aSweepIsSubmittedOverMutualTls_then_everyTaskSucceeds() throws Exception {
        MeshClientOptions options = MeshClientOptions.localMesh(home);
        assertThat(options.tlsIdentity()).contains(home.resolve("certs").resolve(LocalMesh.CLIENT_NAME));
        assertThat(Files.readString(home.resolve("logs").resolve("coordinator-1.log"))).contains("mTLS on");

        try (MeshClient client = MeshClient.connect(options)) {
            JobHandle job = client.submit(JobSpec.builder("tls-ten")
                    .command("sh", "-c", "echo task {i}")
                    .param("i", IntStream.rangeClosed(1, 10).boxed().toList())
                    .timeout(Duration.ofSeconds(30))
                    .build());

            JobStatus status = job.await(JOB_WAIT);

            assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.tasks()).hasSize(10).extracting(TaskView::state).containsOnly(TaskState.SUCCEEDED);
            assertThat(job.results().outputs()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 10).mapToObj(i -> "task " + i + "\n").toList());
        }
    }

    /**
     * Test 5 of the TLS step: block an agent that runs tasks. It is out of the cluster within seconds, its tasks
     * finish on the other agent, its attempts to come back are refused, and after unblock it rejoins and
     * registers again. Last in the class: it changes the mesh.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void when_aRunningAgentIsBlocked_then_itIsEvictedItsTasksRunElsewhereAndOnlyUnblockLetsItBack() throws Exception {
        MeshClientOptions options = MeshClientOptions.localMesh(home);
        HazelcastInstance raw = HazelcastClient.newHazelcastClient(TlsClients.useTls(rawClientConfig(options),
                PemIdentity.load(options.tlsIdentity().orElseThrow(), null, MeshRoles.MEMBERS)));
        try (MeshClient client = MeshClient.connect(options)) {
            JobHandle job = client.submit(JobSpec.builder("block-sweep")
                    .command("sh", "-c", "sleep 2; echo task {i}")
                    .param("i", IntStream.rangeClosed(1, 4).boxed().toList())
                    .timeout(Duration.ofSeconds(30))
                    .build());
            await().atMost(Duration.ofSeconds(30)).until(() -> job.tasks().stream()
                    .anyMatch(t -> t.state() == TaskState.RUNNING && t.node().equals(Optional.of(BLOCKED))));
            Set<String> onBlockedNode = job.tasks().stream().filter(t -> t.node().equals(Optional.of(BLOCKED)))
                    .map(TaskView::taskId).collect(Collectors.toSet());

            long blockedAt = System.nanoTime();
            client.block(BLOCKED, "test: misbehaving node");
            await().atMost(Duration.ofSeconds(5)).until(() -> !memberNames(raw).contains(BLOCKED));
            long evictedMillis = (System.nanoTime() - blockedAt) / 1_000_000;
            System.out.printf("blocked agent evicted after %d ms%n", evictedMillis);

            assertThat(job.await(JOB_WAIT).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.tasks()).filteredOn(t -> onBlockedNode.contains(t.taskId()))
                    .allSatisfy(t -> assertThat(t.node()).contains("agent-1"));
            assertThat(client.nodes()).filteredOn(n -> n.name().equals(BLOCKED)).singleElement()
                    .extracting(NodeInfo::state).isEqualTo(NodeState.BLOCKED);
            // the agent keeps trying to come back; the coordinator refuses each handshake and says why
            Path coordinatorLog = home.resolve("logs").resolve("coordinator-1.log");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(coordinatorLog)
                    .contains("node '" + BLOCKED + "' is blocked"));
            assertThat(memberNames(raw)).doesNotContain(BLOCKED);

            client.unblock(BLOCKED);
            await().atMost(Duration.ofSeconds(40)).until(() -> memberNames(raw).contains(BLOCKED)
                    && client.nodes().stream().anyMatch(n -> n.name().equals(BLOCKED) && n.online()));
        } finally {
            raw.shutdown();
        }
    }

    private static ClientConfig rawClientConfig(MeshClientOptions options) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(options.clusterName());
        config.getNetworkConfig().setAddresses(options.addresses());
        config.setProperty("hazelcast.logging.type", "slf4j");
        return config;
    }

    private static Set<String> memberNames(HazelcastInstance client) {
        return client.getCluster().getMembers().stream()
                .map(m -> m.getAttribute(MeshObjects.NODE_NAME_ATTRIBUTE)).collect(Collectors.toSet());
    }

    @Test
    void when_aPlaintextClientConnects_then_itIsRefused() {
        MeshClientOptions tls = MeshClientOptions.localMesh(home);
        MeshClientOptions plaintext = new MeshClientOptions(tls.addresses(), tls.clusterName(), Duration.ofSeconds(3));

        assertThatThrownBy(() -> MeshClient.connect(plaintext).close())
                .isInstanceOf(MeshException.class).hasMessageContaining("cannot reach the mesh");
    }
}
