package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.TaskView;

/**
 * Fault suite, case 4: stop every coordinator, start them again: every job, task and result is restored from the
 * coordinators' databases and the sweep that was running finishes. Real processes: 1 coordinator (the local mesh's
 * default, one H2 database) and 2 agents, which keep running while no coordinator does and, back, keep the
 * attempts they still hold.
 */
class RestartIT {
    private static final int SWEEP = 24;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the nodes' logs
    Path home;

    private LocalMesh mesh;

    @AfterEach
    void stopMesh() {
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    private static JobSpec sweep(String name, int tasks, String sleep) {
        return JobSpec.builder(name)
                .command("sh", "-c", "sleep " + sleep + "; echo \"task {i}\"")
                .param("i", IntStream.rangeClosed(1, tasks).boxed().toList())
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static List<String> outputs(int tasks) {
        return IntStream.rangeClosed(1, tasks).mapToObj(i -> "task " + i + "\n").toList();
    }

    @Test
    void when_everyCoordinatorIsStoppedOrKilledAndStartedAgain_then_jobsTasksAndResultsAreRestoredAndSweepsFinish()
            throws Exception {
        mesh = TestMeshes.in(home);
        mesh.up(1, 2, 2, Duration.ofSeconds(60), new PrintStream(new ByteArrayOutputStream()));
        String finishedId;
        String sweepId;
        try (MeshClient client = mesh.connect()) {
            JobHandle finished = client.submit(sweep("finished-before", 4, "0"));
            assertThat(finished.await(Duration.ofSeconds(30)).state()).isEqualTo(JobState.SUCCEEDED);
            finishedId = finished.id();
            JobHandle running = client.submit(sweep("running-across", SWEEP, "0.4"));
            sweepId = running.id();
            await().atMost(Duration.ofSeconds(30)).until(() -> running.status().progress().succeeded() >= 4);
            assertThat(running.status().state()).isEqualTo(JobState.RUNNING);
        }

        long stopped = System.nanoTime();
        mesh.restartCoordinators(false, Duration.ofSeconds(20));

        try (MeshClient client = mesh.connect()) {
            JobStatus restored = client.job(sweepId).status();
            System.out.printf("restart: jobs readable again after %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
            assertThat(restored.progress().total()).isEqualTo(SWEEP);
            assertThat(restored.progress().succeeded()).isGreaterThanOrEqualTo(4);

            JobStatus done = client.job(sweepId).await(Duration.ofSeconds(40));
            System.out.printf("restart: sweep finished %d ms after the coordinator was stopped%n",
                    (System.nanoTime() - stopped) / 1_000_000);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.progress().succeeded()).isEqualTo(SWEEP);
            assertThat(client.job(sweepId).results().outputs()).containsExactlyElementsOf(outputs(SWEEP));
            assertThat(client.job(sweepId).tasks()).hasSize(SWEEP).allSatisfy(task -> {
                assertThat(task.exitCode()).contains(0);
                assertThat(task.stdout()).isEqualTo("task " + (task.index() + 1) + "\n");
            });
            JobHandle before = client.job(finishedId);
            assertThat(before.status().state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(before.results().outputs()).containsExactlyElementsOf(outputs(4));
            assertThat(client.jobs()).extracting(JobStatus::jobId).containsExactlyInAnyOrder(finishedId, sweepId);
            assertThat(before.tasks()).extracting(TaskView::attempt).containsOnly(1);
        }
        System.out.println("restart: " + restoreLine());
        assertThat(coordinatorLog()).contains("leadership acquired epoch=2");
        // The agents ran on while no coordinator did; back, each was asked what it still held. How many attempts are
        // reattached depends on what finished meanwhile (0 was seen under load), so only the exchange is asserted.
        assertThat(coordinatorLog()).containsPattern("node rejoined node=agent-\\d attemptsReattached=\\d+");

        // Again with kill -9 (no write-behind flush), right after a job was accepted.
        String acceptedLastId;
        try (MeshClient client = mesh.connect()) {
            JobHandle running = client.submit(sweep("killed-across", SWEEP, "0.4"));
            await().atMost(Duration.ofSeconds(30)).until(() -> running.status().progress().succeeded() >= 4);
            sweepId = running.id();
            acceptedLastId = client.submit(sweep("accepted-last", 2, "0")).id();
        }
        long killed = System.nanoTime();
        mesh.restartCoordinators(true, Duration.ofSeconds(5));

        try (MeshClient client = mesh.connect()) {
            for (String jobId : List.of(sweepId, acceptedLastId)) {
                JobStatus done = client.job(jobId).await(Duration.ofSeconds(40));
                assertThat(done.state()).as(jobId).isEqualTo(JobState.SUCCEEDED);
                int tasks = done.progress().total();
                assertThat(client.job(jobId).results().outputs()).containsExactlyElementsOf(outputs(tasks));
            }
            System.out.printf("kill -9: both jobs finished %d ms after the coordinator was killed%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertThat(client.jobs()).hasSize(4);
        }
        System.out.println("kill -9: " + restoreLine());
        assertThat(coordinatorLog()).contains("leadership acquired epoch=3");
    }

    private String coordinatorLog() throws Exception {
        return Files.readString(home.resolve("logs").resolve("coordinator-1.log"));
    }

    /** The coordinator's log lines of its restore and its take-over. */
    private String restoreLine() throws Exception {
        return String.join("; ", coordinatorLog().lines()
                .filter(line -> line.contains("persistence ready") || line.contains("leader takeover")
                        || line.contains("rejoin"))
                .map(line -> line.replaceAll(" database=.*", "").replaceAll("^.*?(persistence|leader|node)", "$1"))
                .toList());
    }
}
