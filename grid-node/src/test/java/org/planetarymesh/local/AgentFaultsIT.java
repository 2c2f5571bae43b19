package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;
import org.planetarymesh.testing.NodeProcesses;

/**
 * The agent cases of the fault suite on real processes (1 coordinator, 3 agents of 2 slots, mutual TLS): an agent
 * killed with -9, frozen with SIGSTOP and thawed, and restarted, each while it runs tasks. Every case checks that
 * the job succeeds, every task has exactly one result (each output once, in sweep order), the faulty node's
 * attempts ran elsewhere, no process of the faulty node is left over, and the node comes back HEALTHY. The cases
 * share the mesh; each leaves every agent healthy.
 */
class AgentFaultsIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(120);
    private static final Duration BACK_HEALTHY = Duration.ofSeconds(45);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the nodes' logs
    static Path home;

    static LocalMesh mesh;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(1, 3, 2, Duration.ofSeconds(90), new PrintStream(new ByteArrayOutputStream()));
        client = mesh.connect();
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            for (int i = 1; i <= 3; i++) {
                signalQuietly("agent-" + i, "CONT"); // a failed case must not leave a frozen process behind
            }
            mesh.down(Duration.ofSeconds(20));
        }
    }

    @AfterEach
    void everyAgentIsHealthyAgain() {
        await().atMost(BACK_HEALTHY).until(() -> client.nodes().stream()
                .filter(n -> n.role().equals("agent")).allMatch(n -> n.state() == NodeState.HEALTHY));
    }

    @Test
    void when_anAgentIsKilledWhileItRunsTasks_then_theyRunElsewhereAndItsOrphansDieWhenItRestarts() {
        String victim = "agent-1";
        JobHandle job = submit("kill-9", 4, victim);
        List<String> onVictim = awaitRunningOn(job, victim);

        long killedAt = System.nanoTime();
        mesh.kill(victim);
        await().atMost(Duration.ofSeconds(15)).until(() -> movedAway(job, onVictim, victim));
        System.out.printf("kill -9: attempts re-dispatched %d ms after the kill%n",
                (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(stateOf(victim)).isIn(NodeState.OFFLINE);

        assertEveryTaskSucceededOnce(job, 4);
        assertRanElsewhere(job, onVictim, victim);
        if (NodeProcesses.sandboxedWithBwrap(mesh.stateDir().resolve("logs").resolve(victim + ".log"))) {
            // bwrap --die-with-parent: the attempts die with their agent.
            await().atMost(Duration.ofSeconds(10)).until(() -> NodeProcesses.of(victim).isEmpty());
        } else {
            assertThat(NodeProcesses.of(victim)).as("the killed agent's attempts still run").isNotEmpty();
        }
        mesh.restart(victim, Duration.ofSeconds(10));
        await().atMost(BACK_HEALTHY).until(() -> stateOf(victim) == NodeState.HEALTHY);
        assertThat(NodeProcesses.of(victim)).as("orphans of the killed agent").isEmpty();
    }

    @Test
    void when_anAgentFreezes_then_itIsSuspectThenOfflineItsTasksMoveAndOnThawItsStaleAttemptsAreKilled() {
        String victim = "agent-2";
        JobHandle job = submit("sigstop", 4, victim);
        List<String> onVictim = awaitRunningOn(job, victim);

        long frozenAt = System.nanoTime();
        mesh.signal(victim, "STOP");
        try {
            // SUSPECT after 3 s, OFFLINE after 5 s; the bound leaves room for a leader starved on a loaded host.
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(victim) != NodeState.HEALTHY);
            long suspectMillis = (System.nanoTime() - frozenAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(victim) == NodeState.OFFLINE);
            long offlineMillis = (System.nanoTime() - frozenAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(10)).until(() -> movedAway(job, onVictim, victim));
            System.out.printf("SIGSTOP: not healthy after %d ms, offline after %d ms, re-dispatched after %d ms%n",
                    suspectMillis, offlineMillis, (System.nanoTime() - frozenAt) / 1_000_000);
            assertThat(NodeProcesses.of(victim)).as("the frozen agent's attempts still run").isNotEmpty();
        } finally {
            mesh.signal(victim, "CONT");
        }

        await().atMost(BACK_HEALTHY).until(() -> stateOf(victim) == NodeState.HEALTHY);
        await().atMost(Duration.ofSeconds(10)).until(() -> NodeProcesses.of(victim).isEmpty());
        assertEveryTaskSucceededOnce(job, 4);
        assertRanElsewhere(job, onVictim, victim);
    }

    @Test
    void when_anAgentIsRestartedMidTask_then_itsTasksAreRequeuedAndNoProcessOfItsOldRunRemains() {
        String victim = "agent-3";
        JobHandle job = submit("restart", 4, victim);
        List<String> onVictim = awaitRunningOn(job, victim);

        long oldPid = mesh.read().orElseThrow().nodes().stream().filter(n -> n.name().equals(victim)).findFirst()
                .orElseThrow().pid();

        LocalMesh.NodeProcess restarted = mesh.restart(victim, Duration.ofSeconds(20));

        assertThat(restarted.pid()).isNotEqualTo(oldPid);
        // its attempts were killed early in a minute-long task: only a requeue can finish them in time
        assertEveryTaskSucceededOnce(job, 4);
        await().atMost(BACK_HEALTHY).until(() -> stateOf(victim) == NodeState.HEALTHY);
        assertThat(NodeProcesses.of(victim)).isEmpty();
    }

    /**
     * Case 7: a 200-task sweep while agents are killed (-9) or restarted at random. The faults come at progress
     * marks, not at times (every 25 finished tasks, at most six), so the run is bounded whatever the machine's
     * speed; the seed picks agent and fault and is printed (rerun one with {@code -Dchaos.seed=N}).
     */
    @Test
    void when_agentsAreKilledAndRestartedAtRandomDuringALongSweep_then_everyTaskSucceedsExactlyOnce() {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("chaos seed %d%n", seed);
        int tasks = 200;
        JobHandle job = client.submit(JobSpec.builder("chaos")
                .command("sh", "-c", "sleep 0.2; echo task {i}")
                .param("i", IntStream.rangeClosed(1, tasks).boxed().toList())
                .timeout(Duration.ofSeconds(60))
                .build());

        List<String> faults = new ArrayList<>();
        for (int mark = 25; mark <= 150 && faults.size() < 6; mark += 25) {
            int due = mark;
            await().atMost(Duration.ofSeconds(60)).until(() -> job.status().progress().finished() >= due
                    || job.status().state().isTerminal());
            if (job.status().state().isTerminal()) {
                break;
            }
            String agent = "agent-" + (1 + random.nextInt(3));
            if (random.nextBoolean()) {
                mesh.kill(agent);
                mesh.restart(agent, Duration.ofSeconds(10));
                faults.add("kill -9 " + agent + " at " + due);
            } else {
                mesh.restart(agent, Duration.ofSeconds(20));
                faults.add("restart " + agent + " at " + due);
            }
        }
        System.out.println("chaos faults: " + faults);

        assertThat(faults).isNotEmpty();
        assertEveryTaskSucceededOnce(job, tasks);
    }

    // ---- helpers

    /**
     * A sweep whose tasks take a minute on {@code slowNode} and a second elsewhere: the faulty node's attempts are
     * still running when it comes back (so their kill is observable), and their requeued copies finish quickly.
     */
    private static JobHandle submit(String name, int tasks, String slowNode) {
        return client.submit(JobSpec.builder(name)
                .command("sh", "-c", "if [ \"$MESH_NODE\" = " + slowNode + " ]; then sleep 60; else sleep 1; fi;"
                        + " echo task {i}")
                .param("i", IntStream.rangeClosed(1, tasks).boxed().toList())
                .timeout(Duration.ofSeconds(60))
                .build());
    }

    /** Waits until {@code node} runs at least one of the job's tasks; returns the ids of those it runs. */
    private static List<String> awaitRunningOn(JobHandle job, String node) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> job.tasks().stream()
                .filter(t -> t.state() == TaskState.RUNNING && t.node().equals(Optional.of(node)))
                .map(TaskView::taskId).toList(), ids -> !ids.isEmpty());
    }

    private static boolean movedAway(JobHandle job, List<String> taskIds, String node) {
        return job.tasks().stream().filter(t -> taskIds.contains(t.taskId()))
                .allMatch(t -> t.node().isPresent() && !t.node().get().equals(node)
                        && t.state() != TaskState.QUEUED);
    }

    private static void assertEveryTaskSucceededOnce(JobHandle job, int tasks) {
        assertThat(job.await(JOB_WAIT).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.tasks()).hasSize(tasks).extracting(TaskView::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(job.results().outputs()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, tasks).mapToObj(i -> "task " + i + "\n").toList());
    }

    private static void assertRanElsewhere(JobHandle job, List<String> taskIds, String node) {
        Map<String, Optional<String>> nodes = job.tasks().stream()
                .collect(Collectors.toMap(TaskView::taskId, TaskView::node));
        assertThat(taskIds).allSatisfy(id -> assertThat(nodes.get(id)).isPresent().isNotEqualTo(Optional.of(node)));
    }

    private static NodeState stateOf(String node) {
        return client.nodes().stream().filter(n -> n.name().equals(node)).map(NodeInfo::state).findFirst()
                .orElseThrow();
    }

    private static void signalQuietly(String node, String signal) {
        try {
            mesh.signal(node, signal);
        } catch (RuntimeException ignored) {
            // the node may be gone already
        }
    }
}
