package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.owner.AgentControl;
import org.planetarymesh.owner.AgentControlClient;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.TaskState;

/**
 * The owner policy on real processes: an agent lent "when idle" whose owner starts burning CPU suspends its tasks,
 * evicts them after the grace, and they complete on another node without being counted as failures.
 */
@EnabledOnOs(OS.LINUX)
class OwnerPolicyIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the nodes' logs
    static Path home;

    static LocalMesh mesh;
    static MeshClient client;
    private final List<Process> burners = new ArrayList<>();

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(1, 2, 2, Duration.ofSeconds(90), new PrintStream(new ByteArrayOutputStream()));
        // agent-1 is lent only while its owner leaves it idle; short thresholds so the test takes seconds.
        mesh.restart("agent-1", List.of("--when-idle", "--idle-load", "0.6", "--idle-for", "1s", "--evict-after",
                "4s"), Duration.ofSeconds(10));
        client = mesh.connect();
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    @Test
    void when_theOwnerBecomesActive_then_tasksAreSuspendedThenEvictedAndCompleteElsewhereUncharged()
            throws IOException {
        control("agent-2", "pause"); // so that the sweep starts on agent-1
        await().atMost(BOUND).until(() -> node("agent-2").unavailableReason().contains("paused")
                && node("agent-1").online() && node("agent-1").unavailableReason().isEmpty());
        JobHandle job = client.submit(JobSpec.builder("owner-returns")
                .command("sh", "-c", "sleep 6; echo done on $MESH_NODE", "task-{i}")
                .param("i", List.of(1, 2))
                .maxAttempts(1) // an eviction charged as a failure would fail the job
                .timeout(Duration.ofSeconds(60))
                .build());
        await().atMost(BOUND).until(() -> job.tasks().stream()
                .allMatch(t -> t.state() == TaskState.RUNNING && t.node().orElse("").equals("agent-1")));

        burn(2); // the owner: two busy loops on this host, outside the mesh
        await().atMost(BOUND).until(() -> status("agent-1").path("suspended").asInt() == 2);
        assertThat(status("agent-1").path("accepting").asBoolean()).isFalse();
        control("agent-2", "resume");

        JobState end = await().atMost(BOUND).until(() -> job.status().state(), JobState::isTerminal);
        stopBurning();

        assertThat(end).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.tasks()).hasSize(2).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(t.node()).contains("agent-2");
            assertThat(t.stdout()).isEqualTo("done on agent-2\n");
        });
        assertThat(Path.of(mesh.stateDir().resolve("logs").resolve("agent-1.log").toString()))
                .content().contains("attempt evicted", "attempt suspended");
    }

    // ---- fixtures

    private static NodeInfo node(String name) {
        return client.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static String control(String agent, String command) {
        return AgentControlClient.send(AgentControl.socketPath(mesh.stateDir(), agent), command);
    }

    private static JsonNode status(String agent) throws IOException {
        return JSON.readTree(control(agent, "status"));
    }

    private void burn(int loops) throws IOException {
        for (int i = 0; i < loops; i++) {
            burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start());
        }
    }

    @org.junit.jupiter.api.AfterEach
    void stopBurning() {
        burners.forEach(Process::destroyForcibly);
        burners.clear();
    }
}
