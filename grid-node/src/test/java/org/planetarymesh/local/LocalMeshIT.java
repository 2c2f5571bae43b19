package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobResults;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;
import org.planetarymesh.testing.NodeProcesses;

/**
 * The whole path of a job on a real local mesh: 1 coordinator and 3 agents as separate JVMs on
 * 127.0.0.1, shared by every test of this class (each test submits its own job).
 */
class LocalMeshIT {
    private static final Duration JOB_WAIT = Duration.ofMinutes(2);

    @TempDir
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
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (mesh != null) {
                mesh.down(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void when_agentsJoin_then_registryShowsTheirCapabilities() {
        List<NodeInfo> nodes = client.nodes();
        assertThat(nodes).extracting(NodeInfo::name)
                .containsExactlyInAnyOrder("agent-1", "agent-2", "agent-3", "coordinator-1");
        assertThat(nodes).filteredOn(n -> n.role().equals("agent")).allSatisfy(agent -> {
            assertThat(agent.online()).isTrue();
            assertThat(agent.slots()).isEqualTo(2);
            assertThat(agent.cores()).isPositive();
            assertThat(agent.memoryBytes()).isPositive();
            assertThat(agent.javaVersion()).isNotBlank();
            assertThat(agent.address()).startsWith("127.0.0.1:");
            // What the agent's sandbox found here is advertised, and its caps are within the host.
            assertThat(agent.protections()).isNotEmpty();
            assertThat(agent.maxCpus()).isPositive().isLessThanOrEqualTo(agent.cores());
            assertThat(agent.maxMemoryBytes()).isPositive().isLessThanOrEqualTo(agent.memoryBytes());
            assertThat(agent.unavailableReason()).isEmpty();
        });
    }

    @Test
    void when_aTaskOutgrowsTheMemoryItsJobGaveIt_then_theClientSeesMemoryLimitExceeded() {
        boolean limited = client.nodes().stream().filter(n -> n.role().equals("agent"))
                .allMatch(n -> n.protections().contains(Protection.MEMORY_LIMIT));
        assumeTrue(limited, "the agents here have no memory-limit protection (no cgroup memory controller)");
        JobHandle job = client.submit(JobSpec.builder("memory-bomb")
                .command("sh", "-c", "x=0123456789abcdef; while :; do x=\"$x$x\"; done")
                .resources(new Resources(1, 64L << 20, 64L << 20, 32))
                .requires(Protection.MEMORY_LIMIT)
                .maxAttempts(1)
                .timeout(Duration.ofSeconds(60))
                .build());

        JobStatus status = job.await(JOB_WAIT);

        assertThat(status.state()).isEqualTo(JobState.FAILED);
        TaskView task = job.tasks().get(0);
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.reason()).contains("memory limit exceeded (64 MiB)");
        assertThat(task.peakMemoryBytes().orElseThrow()).isLessThanOrEqualTo(64L << 20);
    }

    @Test
    void when_aJobRequiresAProtectionNoAgentHas_then_itWaitsSayingSo() {
        List<NodeInfo> agents = client.nodes().stream().filter(n -> n.role().equals("agent")).toList();
        java.util.Optional<Protection> missing = java.util.Arrays.stream(Protection.values())
                .filter(p -> agents.stream().noneMatch(a -> a.protections().contains(p))).findFirst();
        JobHandle job = client.submit(JobSpec.builder("needs-more")
                .command("true")
                .requires(missing.orElse(Protection.NO_NETWORK))
                .resources(missing.isPresent() ? Resources.DEFAULT : new Resources(1, 8L << 40, 1L << 20, 8))
                .build());
        try {
            // Nothing here offers it (a protection no agent has, else more memory than any agent lends).
            String why = await().atMost(JOB_WAIT).until(() -> job.tasks().get(0).reason(), r -> !r.isEmpty());
            assertThat(why).containsAnyOf("no node offers", "memory");
            assertThat(job.tasks().get(0).state()).isEqualTo(TaskState.QUEUED);
        } finally {
            job.cancel();
        }
    }

    @Test
    void when_sweepOf30TasksRuns_then_allSucceedInSweepOrderSpreadOverAgents() {
        JobSpec spec = JobSpec.builder("thirty")
                .command("sh", "-c", "echo \"task {i} $(( {i} * {i} ))\"")
                .param("i", IntStream.rangeClosed(1, 30).boxed().toList())
                .timeout(Duration.ofSeconds(30))
                .build();
        long start = System.nanoTime();
        JobHandle job = client.submit(spec);
        JobStatus status = job.await(JOB_WAIT);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("30-task sweep: %.2fs, %.1f tasks/s%n", seconds, 30 / seconds);

        assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(status.progress().succeeded()).isEqualTo(30);
        JobResults results = job.results();
        assertThat(results.outputs()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 30).mapToObj(i -> "task " + i + " " + i * i + "\n").toList());
        assertThat(results.tasksPerNode()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(results.tasksPerNode().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        assertThat(results.tasks()).allSatisfy(t -> {
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.exitCode()).contains(0);
        });
    }

    @Test
    void when_taskExitsNonZero_then_itIsRetriedToMaxAttemptsThenFailedWithStderrKept() {
        JobHandle job = client.submit(JobSpec.builder("always-fails")
                .command("sh", "-c", "echo 'boom on attempt' >&2; exit 3")
                .maxAttempts(3)
                .timeout(Duration.ofSeconds(30))
                .build());

        JobStatus status = job.await(JOB_WAIT);

        assertThat(status.state()).isEqualTo(JobState.FAILED);
        TaskView task = job.tasks().get(0);
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.attempt()).isEqualTo(3);
        assertThat(task.exitCode()).contains(3);
        assertThat(task.stderr()).contains("boom on attempt");
        assertThat(task.reason()).contains("exit code 3");
    }

    @Test
    void when_taskSleepsPastItsTimeout_then_itIsTimedOutAndItsProcessTreeIsGone() throws Exception {
        // The task cannot write outside its sandbox nor knows host pids: its processes are found by its id.
        JobHandle job = client.submit(JobSpec.builder("sleeper")
                .command("sh", "-c", "sleep 300 & sleep 300")
                .timeout(Duration.ofSeconds(5))
                .maxAttempts(1)
                .build());
        String taskId = await().atMost(JOB_WAIT).until(() -> job.tasks().get(0).taskId(), id -> id != null);
        await().atMost(JOB_WAIT).until(() -> NodeProcesses.ofTask(taskId).size() >= 2);

        JobStatus status = job.await(JOB_WAIT);

        assertThat(status.state()).isEqualTo(JobState.FAILED);
        TaskView task = job.tasks().get(0);
        assertThat(task.state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(task.reason()).contains("timed out");
        await().atMost(Duration.ofSeconds(10)).until(() -> NodeProcesses.ofTask(taskId).isEmpty());
    }

    @Test
    void when_jobIsFollowedThroughTheJavaClient_then_itIsListedWithItsProgress() {
        JobHandle job = client.submit(JobSpec.builder("followed")
                .command("sh", "-c", "echo {x}")
                .param("x", List.of("a", "b", "c", "d"))
                .build());

        assertThat(client.job(job.id()).status().progress().total()).isEqualTo(4);
        JobStatus done = job.await(JOB_WAIT);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.finishedAt()).isPresent();
        assertThat(client.jobs()).extracting(JobStatus::jobId).contains(job.id());
        assertThat(job.tasks()).extracting(t -> t.params().get("x")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void when_jobIsCancelled_then_itsRunningTasksStopAndTheJobIsCancelled() {
        JobHandle job = client.submit(JobSpec.builder("cancelled")
                .command("sh", "-c", "sleep 300 # {i}")
                .param("i", IntStream.rangeClosed(1, 10).boxed().toList())
                .timeout(Duration.ofMinutes(10))
                .build());
        await().atMost(Duration.ofSeconds(30)).until(() -> job.status().progress().running() > 0);

        job.cancel();

        JobStatus status = job.await(Duration.ofSeconds(30));
        assertThat(status.state()).isEqualTo(JobState.CANCELLED);
        assertThat(status.progress().cancelled()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.nodes().stream()
                .filter(n -> n.role().equals("agent")).mapToInt(NodeInfo::runningTasks).sum() == 0);
    }

    @Test
    void when_specIsInvalid_then_itIsRefusedAndNothingIsStored() {
        int before = client.jobs().size();

        assertThatThrownBy(() -> client.submit(JobSpec.parse("name: bad\ncommand: []\nparams: {x: [1]}\n")))
                .isInstanceOf(InvalidJobSpecException.class)
                .hasMessageContaining("command");

        assertThat(client.jobs()).hasSize(before);
    }
}
