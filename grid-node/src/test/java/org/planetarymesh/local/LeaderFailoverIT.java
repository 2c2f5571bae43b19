package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/**
 * Fault suite, leader case on real processes: three coordinators (quorum two) and two agents; the coordinator
 * that leads the scheduler is killed with -9 in the middle of a sweep. Another takes over with a higher epoch
 * within the bound, the client carries on through another coordinator, and the sweep finishes with every task
 * succeeded and each output recorded exactly once.
 */
class LeaderFailoverIT {
    private static final int TASKS = 40;
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(5);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the nodes' logs
    static Path home;

    static LocalMesh mesh;

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(3, 2, 2, Duration.ofSeconds(120), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    @Test
    void when_theLeaderIsKilledMidSweep_then_anotherTakesOverWithinTheBoundAndEveryTaskSucceedsOnce() throws Exception {
        try (MeshClient client = mesh.connect()) {
            JobHandle job = client.submit(JobSpec.builder("failover-sweep")
                    .command("sh", "-c", "sleep 0.4; echo task {i}")
                    .param("i", IntStream.rangeClosed(1, TASKS).boxed().toList())
                    .timeout(Duration.ofSeconds(60))
                    .build());
            await().atMost(Duration.ofSeconds(30)).until(() -> job.status().progress().finished() >= 8);
            LocalMesh.Leader leader = currentLeader();

            long killedAt = System.nanoTime();
            mesh.kill(leader.node());
            LocalMesh.Leader next = await().atMost(TAKEOVER_BOUND.plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(mesh::leader, l -> l.isPresent() && l.get().epoch() > leader.epoch())
                    .orElseThrow();
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("leader %s (epoch %d) killed; %s took over with epoch %d after %d ms%n", leader.node(),
                    leader.epoch(), next.node(), next.epoch(), takeoverMillis);

            assertThat(next.node()).isNotEqualTo(leader.node());
            assertThat(Duration.ofMillis(takeoverMillis)).isLessThanOrEqualTo(TAKEOVER_BOUND);
            assertThat(job.await(Duration.ofSeconds(90)).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.tasks()).hasSize(TASKS).extracting(TaskView::state).containsOnly(TaskState.SUCCEEDED);
            assertThat(job.results().outputs()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, TASKS).mapToObj(i -> "task " + i + "\n").toList());
        }
    }

    private static LocalMesh.Leader currentLeader() {
        return mesh.leader().orElseThrow(() -> new AssertionError("no coordinator logged leadership"));
    }
}
