package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.shell.CommandRun.row;
import static org.planetarymesh.shell.Fixtures.T0;
import static org.planetarymesh.shell.Fixtures.aJob;
import static org.planetarymesh.shell.Fixtures.aTask;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.InvalidJobSpecException.FieldError;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.Progress;

class JobCommandsTest {
    private final FakeMesh mesh = new FakeMesh();
    private final CommandRun run = new CommandRun();
    private final TestClock clock = new TestClock(T0.plus(Duration.ofMinutes(10)));
    private final List<Duration> pauses = new ArrayList<>();
    private final JobFollower follower = new JobFollower(clock, d -> {
        pauses.add(d);
        clock.advance(d);
    }, Duration.ofSeconds(1));
    private JobCommands.SpecReader specReader = file -> Fixtures.aSpec();
    private final JobCommands commands = new JobCommands(() -> mesh, run.console, clock, follower,
            file -> specReader.read(file));

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    @Nested
    class Jobs {
        @BeforeEach
        void twoJobs() {
            mesh.addJob(aJob("j-1").named("warmup").counts(4, 0, 0, 0).startedAt(T0.plusSeconds(1))
                    .finishedAt(T0.plusSeconds(95)).build());
            mesh.addJob(aJob("j-2").named("sweep").counts(11, 1, 3, 15).submittedAt(T0.plusSeconds(60))
                    .startedAt(T0.plusSeconds(61)).build());
        }

        @Test
        void when_jobsAreListed_then_eachJobIsARowWithStateCountsAndWallTime() {
            int exit = run.exitCodeOf(() -> commands.jobs(false));

            assertThat(exit).isZero();
            assertThat(run.outLines().get(0)).startsWith("ID").contains("DONE/TOTAL", "WALL TIME");
            assertThat(row(run.out(), "j-2"))
                    .containsExactly("j-2", "sweep", "RUNNING", "12/30", "1", "2026-11-26 10:01:00", "9m 00s");
            assertThat(row(run.out(), "j-1"))
                    .containsExactly("j-1", "warmup", "SUCCEEDED", "4/4", "0", "2026-11-26 10:00:00", "1m 35s");
        }

        @Test
        void when_jobsAreListedAsJson_then_theOutputParsesBackWithIsoTimesAndEveryField() throws IOException {
            run.exitCodeOf(() -> commands.jobs(true));

            JsonNode jobs = json(run.out());
            assertThat(jobs).hasSize(2);
            JsonNode sweep = jobs.get(0);
            assertThat(sweep.get("jobId").asText()).isEqualTo("j-2");
            assertThat(sweep.get("state").asText()).isEqualTo("RUNNING");
            assertThat(sweep.get("progress").get("total").asInt()).isEqualTo(30);
            assertThat(sweep.get("progress").get("failed").asInt()).isEqualTo(1);
            assertThat(sweep.get("submittedAt").asText()).isEqualTo("2026-11-26T10:01:00Z");
            assertThat(sweep.get("startedAt").asText()).isEqualTo("2026-11-26T10:01:01Z");
            assertThat(sweep.get("finishedAt").isNull()).isTrue();
        }

        @Test
        void when_noJobExists_then_theListSaysSo() {
            var empty = new JobCommands(FakeMesh::new, run.console, clock, follower, specReader);

            assertThat(empty.jobs(false)).isEqualTo("no jobs");
        }

        @Test
        void when_oneJobIsShown_then_itsStateEveryCountAndTimesAreListed() {
            run.exitCodeOf(() -> commands.job("j-2", false));

            assertThat(row(run.out(), "state")).containsExactly("state", "RUNNING");
            assertThat(row(run.out(), "tasks")).containsExactly("tasks", "12/30 done");
            assertThat(row(run.out(), "failed")).containsExactly("failed", "1");
            assertThat(row(run.out(), "queued")).containsExactly("queued", "15");
            assertThat(row(run.out(), "finished")).containsExactly("finished", "-");
            assertThat(row(run.out(), "wall time")).containsExactly("wall time", "9m 00s");
        }

        @Test
        void when_oneJobIsShownAsJson_then_itParsesBack() throws IOException {
            run.exitCodeOf(() -> commands.job("j-1", true));

            JsonNode job = json(run.out());
            assertThat(job.get("name").asText()).isEqualTo("warmup");
            assertThat(job.get("finishedAt").asText()).isEqualTo("2026-11-26T10:01:35Z");
        }

        @Test
        void when_theJobIsUnknown_then_oneErrorLineAndTheMeshErrorExitCode() {
            int exit = run.exitCodeOf(() -> commands.job("j-404", false));

            assertThat(exit).isEqualTo(ExitCode.MESH_ERROR.code());
            assertThat(run.err()).isEqualTo("error: no job j-404" + System.lineSeparator());
            assertThat(run.out()).isEmpty();
        }

        @Test
        void when_aJobIsCancelled_then_theMeshIsAskedToCancelIt() {
            int exit = run.exitCodeOf(() -> commands.cancel("j-2"));

            assertThat(exit).isZero();
            assertThat(((FakeMesh.FakeJob) mesh.job("j-2")).cancelled).isTrue();
            assertThat(run.out()).contains("cancel requested for j-2");
        }
    }

    @Nested
    class TasksAndResults {
        @BeforeEach
        void aJobWithThreeTasks() {
            mesh.addJob(aJob("j-1").counts(1, 1, 1, 0).build())
                    .withTasks(
                            aTask(0).param("x", "1").param("y", "a").on("alpha").took(Duration.ofMillis(4200))
                                    .used(Duration.ofMillis(3900), 300L << 20)
                                    .succeeded("result 42\nmore detail\n").build(),
                            aTask(1).param("x", "2").param("y", "a").on("beta").took(Duration.ofSeconds(75))
                                    .used(Duration.ofSeconds(70), 256L << 20)
                                    .failed(3, "memory limit exceeded (256 MiB)").truncatedOutput().build(),
                            aTask(2).param("x", "3").param("y", "a").on("alpha").running().build())
                    .withTasksPerNode(Map.of("alpha", 1, "beta", 1))
                    .withWallTime(Duration.ofSeconds(133));
        }

        @Test
        void when_tasksAreListed_then_eachTaskIsARowWithParamsNodeExitAndReason() {
            run.exitCodeOf(() -> commands.tasks("j-1", false, null));

            assertThat(run.outLines().get(0).split("\\s{2,}"))
                    .containsExactly("INDEX", "PARAMS", "STATE", "ATTEMPT", "NODE", "EXIT", "DURATION", "CPU",
                            "PEAK MEM", "REASON");
            assertThat(row(run.out(), "0")).containsExactly("0", "x=1 y=a", "SUCCEEDED", "1", "alpha", "0", "4.2s",
                    "3.9s", "300 MiB");
            assertThat(row(run.out(), "1")).containsExactly("1", "x=2 y=a", "FAILED", "1", "beta", "3", "1m 15s",
                    "1m 10s", "256 MiB", "memory limit exceeded (256 MiB)");
            assertThat(row(run.out(), "2")).containsExactly("2", "x=3 y=a", "RUNNING", "1", "alpha", "-", "-", "-",
                    "-");
        }

        @Test
        void when_tasksAreFilteredByState_then_onlyTasksInThatStateAreListed() {
            run.exitCodeOf(() -> commands.tasks("j-1", false, "failed"));

            assertThat(run.outLines()).hasSize(2);
            assertThat(row(run.out(), "1")).contains("FAILED");
        }

        @Test
        void when_theStateFilterIsNoTaskState_then_theUsageErrorNamesTheStates() {
            int exit = run.exitCodeOf(() -> commands.tasks("j-1", false, "broken"));

            assertThat(exit).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.err()).contains("--state 'broken' is not a task state", "TIMED_OUT");
        }

        @Test
        void when_tasksAreListedAsJson_then_optionalsAreValuesOrNullAndDurationsIso() throws IOException {
            run.exitCodeOf(() -> commands.tasks("j-1", true, null));

            JsonNode tasks = json(run.out());
            assertThat(tasks).hasSize(3);
            assertThat(tasks.get(1).get("node").asText()).isEqualTo("beta");
            assertThat(tasks.get(1).get("exitCode").asInt()).isEqualTo(3);
            assertThat(tasks.get(1).get("duration").asText()).isEqualTo("PT1M15S");
            assertThat(tasks.get(1).get("params").get("x").asText()).isEqualTo("2");
            assertThat(tasks.get(2).get("exitCode").isNull()).isTrue();
            assertThat(tasks.get(1).get("cpuTime").asText()).isEqualTo("PT1M10S");
            assertThat(tasks.get(1).get("peakMemoryBytes").asLong()).isEqualTo(256L << 20);
            assertThat(tasks.get(2).get("peakMemoryBytes").isNull()).isTrue();
        }

        @Test
        void when_resultsAreShown_then_eachTasksFirstLineThenTasksPerNodeAndWallTime() {
            run.exitCodeOf(() -> commands.results("j-1", false));

            assertThat(row(run.out(), "0")).containsExactly("0", "x=1 y=a", "SUCCEEDED", "result 42 ...");
            assertThat(row(run.out(), "1")).containsExactly("1", "x=2 y=a", "FAILED", "[truncated]");
            assertThat(run.out()).contains("tasks per node: alpha 1, beta 1", "wall time: 2m 13s");
        }

        @Test
        void when_resultsAreShownAsJson_then_fullOutputsAndTasksPerNodeParseBack() throws IOException {
            run.exitCodeOf(() -> commands.results("j-1", true));

            JsonNode results = json(run.out());
            assertThat(results.get("tasks").get(0).get("stdout").asText()).isEqualTo("result 42\nmore detail\n");
            assertThat(results.get("tasksPerNode").get("alpha").asInt()).isEqualTo(1);
            assertThat(results.get("wallTime").asText()).isEqualTo("PT2M13S");
            assertThat(results.get("status").get("jobId").asText()).isEqualTo("j-1");
        }
    }

    @Nested
    class Submit {
        @TempDir
        Path dir;
        private String specFile;

        @BeforeEach
        void aSpecFile() throws IOException {
            specFile = Files.writeString(dir.resolve("sweep.yaml"), "name: sweep\n").toString();
        }

        private JobStatus status(int ok, int failed, int running, int queued) {
            return aJob("j-7").counts(ok, failed, running, queued).build();
        }

        @Test
        void when_submittedWithoutWait_then_onlyTheJobIdIsPrintedAndTheExitCodeIsZero() {
            mesh.onNextSubmit(status(0, 0, 0, 2));

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, false, null, false);
                return null;
            });

            assertThat(exit).isZero();
            assertThat(run.outLines()).containsExactly("j-7");
            assertThat(mesh.submitted).containsExactly(Fixtures.aSpec());
        }

        @Test
        void when_submittedWithoutWaitAsJson_then_theIdParsesBack() throws IOException {
            mesh.onNextSubmit(status(0, 0, 0, 2));

            run.exitCodeOf(() -> {
                commands.submit(specFile, false, null, true);
                return null;
            });

            assertThat(json(run.out()).get("jobId").asText()).isEqualTo("j-7");
        }

        @Test
        void when_theWaitedJobSucceeds_then_progressIsPrintedOnEachChangeAndTheExitCodeIsZero() {
            var job = mesh.onNextSubmit(status(0, 0, 0, 2), status(0, 0, 0, 2), status(0, 0, 2, 0),
                    status(1, 0, 1, 0), status(2, 0, 0, 0))
                    .withTasksPerNode(Map.of("alpha", 2)).withWallTime(Duration.ofSeconds(12));

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, null, false);
                return null;
            });

            assertThat(exit).isZero();
            assertThat(run.outLines()).containsExactly(
                    "j-7",
                    "j-7 QUEUED 0/2 done (ok 0, failed 0, running 0, queued 2)",
                    "j-7 RUNNING 0/2 done (ok 0, failed 0, running 2, queued 0)",
                    "j-7 RUNNING 1/2 done (ok 1, failed 0, running 1, queued 0)",
                    "j-7 SUCCEEDED 2/2 done (ok 2, failed 0, running 0, queued 0)",
                    "job j-7 (sweep) SUCCEEDED: 2 of 2 tasks succeeded",
                    "tasks per node: alpha 2",
                    "wall time: 12s");
            assertThat(job.statusCalls).isEqualTo(5);
            assertThat(run.err()).isEmpty();
        }

        @Test
        void when_theWaitedJobFails_then_theSummaryNamesTheFailedTasksAndTheExitCodeIsJobFailed() {
            mesh.onNextSubmit(status(0, 0, 2, 0), status(1, 1, 0, 0))
                    .withTasks(aTask(0).param("x", "1").succeeded("ok").build(),
                            aTask(1).param("x", "2").failed(1, "exited with code 1").build());

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, null, false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.JOB_FAILED.code()).isNotZero();
            assertThat(run.out()).contains("job j-7 (sweep) FAILED: 1 of 2 tasks succeeded",
                    "failed tasks:", "#1 x=2  FAILED (exit 1): exited with code 1");
            assertThat(run.err()).isEqualTo("error: job j-7 FAILED: 1 of 2 tasks did not succeed"
                    + System.lineSeparator());
        }

        @Test
        void when_theWaitedJobIsCancelled_then_theExitCodeIsJobCancelled() {
            mesh.onNextSubmit(status(0, 0, 2, 0),
                    aJob("j-7").progress(new Progress(2, 0, 0, 0, 0, 0, 0, 2, 0)).state(JobState.CANCELLED).build());

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, null, false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.JOB_CANCELLED.code());
            assertThat(run.out()).contains("j-7 CANCELLED 2/2 done (ok 0, failed 0, cancelled 2, running 0, queued 0)");
            assertThat(run.err()).contains("job j-7 was CANCELLED");
        }

        @Test
        void when_theJobOutlivesTheTimeout_then_theWaitEndsThereWithItsExitCodeAndTheJobRuns() {
            var job = mesh.onNextSubmit(status(0, 0, 2, 0));

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, "3s", false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.WAIT_TIMED_OUT.code());
            assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
            assertThat(job.cancelled).isFalse();
            assertThat(run.err()).contains("job j-7 still RUNNING after 3.0s (0/2 done); it keeps running");
        }

        @Test
        void when_waitingAsJson_then_noProgressLinesAndTheResultsParseBack() throws IOException {
            mesh.onNextSubmit(status(0, 0, 2, 0), status(2, 0, 0, 0))
                    .withTasks(aTask(0).succeeded("a").build(), aTask(1).succeeded("b").build());

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, null, true);
                return null;
            });

            assertThat(exit).isZero();
            JsonNode results = json(run.out());
            assertThat(results.get("status").get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(results.get("tasks").get(1).get("stdout").asText()).isEqualTo("b");
        }

        @Test
        void when_theSpecIsInvalid_then_everyFieldErrorIsPrintedAndNothingIsSubmitted() {
            specReader = file -> {
                throw new InvalidJobSpecException(List.of(new FieldError("name", "must not be blank"),
                        new FieldError("params.y", "unknown parameter in command"),
                        new FieldError("timeout", "must be positive")));
            };

            int exit = run.exitCodeOf(() -> {
                commands.submit(specFile, true, null, false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.INVALID_SPEC.code());
            assertThat(run.err().lines()).containsExactly(
                    "error: invalid job spec (3 errors)",
                    "  name: must not be blank",
                    "  params.y: unknown parameter in command",
                    "  timeout: must be positive");
            assertThat(mesh.submitted).isEmpty();
            assertThat(run.out()).isEmpty();
        }

        @Test
        void when_theSpecFileDoesNotExist_then_aUsageErrorNamesIt() {
            int exit = run.exitCodeOf(() -> {
                commands.submit(dir.resolve("missing.yaml").toString(), false, null, false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.err()).contains("no such file:", "missing.yaml");
        }

        @Test
        void when_aTimeoutIsGivenWithoutWait_then_itIsAUsageErrorBeforeAnythingIsSubmitted() {
            assertThatThrownBy(() -> commands.submit(specFile, false, "30m", false))
                    .isInstanceOfSatisfying(CommandFailure.class,
                            f -> assertThat(f.exitCode()).isEqualTo(ExitCode.USAGE));
            assertThat(mesh.submitted).isEmpty();
        }

        @Test
        void when_theWaitIsInterrupted_then_theExitCodeSaysSoAndTheJobKeepsRunning() {
            var interrupted = new JobCommands(() -> mesh, run.console, clock,
                    new JobFollower(clock, d -> {
                        throw new InterruptedException();
                    }, Duration.ofSeconds(1)), specReader);
            var job = mesh.onNextSubmit(status(0, 0, 2, 0));

            int exit = run.exitCodeOf(() -> {
                interrupted.submit(specFile, true, null, false);
                return null;
            });

            assertThat(exit).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(job.cancelled).isFalse();
            assertThat(run.err()).contains("stopped waiting for j-7; the job keeps running");
        }
    }
}
