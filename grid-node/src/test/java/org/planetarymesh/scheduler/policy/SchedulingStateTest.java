package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;
import static org.planetarymesh.jobs.RecordFixtures.eviction;
import static org.planetarymesh.jobs.RecordFixtures.failure;
import static org.planetarymesh.jobs.RecordFixtures.report;
import static org.planetarymesh.jobs.RecordFixtures.success;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;

class SchedulingStateTest {
    private static final long EPOCH = 7;
    private static final String JOB = "j-1";

    private SchedulingState state;

    @BeforeEach
    void adoptAJobOfThreeTasks() {
        state = new SchedulingState(EPOCH);
        List<TaskRecord> tasks = IntStream.range(0, 3)
                .mapToObj(i -> aTask(JOB, i).withMaxAttempts(2).writtenBy(EPOCH).build())
                .toList();
        state.adoptJob(anAcceptedJob(JOB, aSweep(3)).withTasksCreated(EPOCH), tasks);
        state.drainChanges(1);
    }

    @Test
    void when_taskIsAssigned_then_itHoldsASlotOnItsNodeAndTheJobCountsMove() {
        TaskRecord assigned = state.assign("j-1/0", "n1", 5);

        assertThat(assigned.state()).isEqualTo(TaskState.ASSIGNED);
        assertThat(assigned.attemptId()).isEqualTo("j-1/0@1");
        assertThat(state.runningOn("n1")).isEqualTo(1);
        assertThat(state.queued()).extracting(TaskRecord::taskId).containsExactlyInAnyOrder("j-1/1", "j-1/2");
        SchedulingState.Changes changes = state.drainChanges(5);
        assertThat(changes.tasks()).extracting(TaskRecord::writerEpoch).containsOnly(EPOCH);
        assertThat(changes.jobs()).singleElement().satisfies(job -> {
            assertThat(job.counts().assigned()).isEqualTo(1);
            assertThat(job.counts().queued()).isEqualTo(2);
            assertThat(job.startedAt()).isEqualTo(5);
        });
    }

    @Test
    void when_everyTaskSucceeds_then_theJobIsFinishedAndLeavesTheWorkingSet() {
        for (int i = 0; i < 3; i++) {
            TaskRecord task = state.assign("j-1/" + i, "n1", 5);
            assertThat(state.apply(TaskReport.running(task.taskId(), task.attemptId(), "n1", 6)))
                    .isEqualTo(SchedulingState.ReportOutcome.APPLIED);
            assertThat(state.apply(success(task))).isEqualTo(SchedulingState.ReportOutcome.APPLIED);
        }

        SchedulingState.Changes changes = state.drainChanges(30);

        assertThat(changes.tasks()).extracting(TaskRecord::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(changes.jobs()).singleElement().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.finishedAt()).isEqualTo(30);
        });
        assertThat(state.jobCount()).isZero();
        assertThat(state.taskCount()).isZero();
        assertThat(state.runningOn("n1")).isZero();
    }

    @Test
    void when_reportNamesAnOldAttempt_then_itIsStaleAndChangesNothing() {
        TaskRecord first = state.assign("j-1/0", "n1", 5);
        state.apply(failure(first));
        TaskRecord second = state.assign("j-1/0", "n2", 6);
        state.drainChanges(6);

        SchedulingState.ReportOutcome outcome = state.apply(success(first));

        assertThat(outcome).isEqualTo(SchedulingState.ReportOutcome.STALE);
        assertThat(state.task("j-1/0")).isEqualTo(second);
        assertThat(state.drainChanges(7).isEmpty()).isTrue();
    }

    @Test
    void when_attemptFailsWithAttemptsLeft_then_taskIsQueuedAgainAndRemembersTheNode() {
        TaskRecord task = state.assign("j-1/0", "n1", 5);

        state.apply(failure(task));

        TaskRecord requeued = state.task("j-1/0");
        assertThat(requeued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.triedNodes()).containsExactly("n1");
        assertThat(requeued.reason()).contains("attempt 1").contains("exit code 1");
        assertThat(state.runningOn("n1")).isZero();
    }

    @Test
    void when_nodeIsLost_then_itsAttemptsAreRequeuedWithoutCountingAgainstTheTask() {
        state.assign("j-1/0", "n1", 5);
        state.assign("j-1/1", "n1", 5);
        state.assign("j-1/2", "n2", 5);

        List<String> requeued = state.nodeLost("n1", 9);

        assertThat(requeued).containsExactlyInAnyOrder("j-1/0", "j-1/1");
        assertThat(state.task("j-1/0").state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.task("j-1/0").attempt()).isZero();
        assertThat(state.task("j-1/0").reason()).contains("n1 left");
        assertThat(state.runningOn("n1")).isZero();
        assertThat(state.runningOn("n2")).isEqualTo(1);
    }

    @Test
    void when_aRejoinedNodeHoldsSomeOfItsAttempts_then_thoseStayAttachedAndTheOthersAreRequeuedWithoutCharge() {
        TaskRecord held = state.assign("j-1/0", "n1", 5);
        state.assign("j-1/1", "n1", 5);
        TaskRecord elsewhere = state.assign("j-1/2", "n2", 5);

        List<String> requeued = state.reattach("n1", Set.of(held.attemptId(), "j-9/0@1"), 9);

        assertThat(requeued).containsExactly("j-1/1");
        assertThat(state.task("j-1/0")).isEqualTo(held);
        assertThat(state.task("j-1/1").state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.task("j-1/1").attempt()).isZero();
        assertThat(state.task("j-1/1").reason()).contains("no longer on n1");
        assertThat(state.runningOn("n1")).isEqualTo(1);
        assertThat(state.task("j-1/2")).isEqualTo(elsewhere);
    }

    @Test
    void when_dispatchFailsForTheCurrentAttempt_then_taskIsRequeued() {
        TaskRecord task = state.assign("j-1/0", "n1", 5);

        state.attemptLost(task.taskId(), task.attemptId(), "dispatch failed", 6);

        assertThat(state.task("j-1/0").state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.runningOn("n1")).isZero();
    }

    @Test
    void when_jobIsCancelled_then_everyUnfinishedTaskIsCancelledAndRunningAttemptsAreKilled() {
        TaskRecord running = state.assign("j-1/0", "n1", 5);
        state.apply(TaskReport.running(running.taskId(), running.attemptId(), "n1", 6));
        TaskRecord done = state.assign("j-1/1", "n2", 5);
        state.apply(success(done));

        List<SchedulingState.Kill> kills = state.cancelJob(JOB, 9);

        assertThat(kills).containsExactly(new SchedulingState.Kill("n1", "j-1/0@1"));
        SchedulingState.Changes changes = state.drainChanges(10);
        assertThat(changes.jobs()).singleElement().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.CANCELLED);
            assertThat(job.counts().cancelled()).isEqualTo(2);
            assertThat(job.counts().succeeded()).isEqualTo(1);
        });
        assertThat(state.queued()).isEmpty();
    }

    @Test
    void when_agentStopsAnAttemptWithoutACancelOfItsJob_then_taskIsRequeuedWithoutCharge() {
        TaskRecord task = state.assign("j-1/0", "n1", 5);

        state.apply(report(task, TaskState.CANCELLED, null, "", "agent shutting down"));

        TaskRecord requeued = state.task("j-1/0");
        assertThat(requeued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.attempt()).isZero();
        assertThat(requeued.reason()).contains("agent shutting down");
    }

    @Test
    void when_dispatchesKeepFailingBeforeTheTaskRuns_then_itIsRequeuedEveryTimeNeverLost() {
        for (int i = 0; i < 2 * SchedulingState.MAX_NODE_LOSSES; i++) {
            TaskRecord attempt = state.assign("j-1/0", "n1", i);
            state.attemptLost("j-1/0", attempt.attemptId(), "dispatch failed", i);
        }

        assertThat(state.task("j-1/0").state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void when_anAttemptFailsWithBackoff_then_theTaskWaitsOutOfLineUntilItsTimeAndSaysUntilWhen() {
        SchedulingState backingOff = new SchedulingState(EPOCH, new RetryBackoff(Duration.ofSeconds(1),
                Duration.ofMinutes(1), 0, () -> 0.5));
        backingOff.adoptJob(anAcceptedJob("j-2", aSweep(1)).withTasksCreated(EPOCH),
                List.of(aTask("j-2", 0).withMaxAttempts(2).writtenBy(EPOCH).build()));
        TaskRecord task = backingOff.assign("j-2/0", "n1", 5);

        backingOff.apply(failure(task), 100);

        assertThat(backingOff.task("j-2/0").state()).isEqualTo(TaskState.QUEUED);
        assertThat(backingOff.task("j-2/0").reason()).contains("backoff of 1000 ms");
        assertThat(backingOff.queued()).isEmpty();
        backingOff.releaseDue(1099);
        assertThat(backingOff.queued()).isEmpty();
        backingOff.releaseDue(1100);
        assertThat(backingOff.queued()).extracting(TaskRecord::taskId).containsExactly("j-2/0");
    }

    @Test
    void when_aNodeEvictsAnAttempt_then_theTaskIsRequeuedAtOnceWithoutChargeAvoidingThatNode() {
        SchedulingState backingOff = new SchedulingState(EPOCH, new RetryBackoff(Duration.ofSeconds(1),
                Duration.ofMinutes(1), 0, () -> 0.5));
        backingOff.adoptJob(anAcceptedJob("j-2", aSweep(1)).withTasksCreated(EPOCH),
                List.of(aTask("j-2", 0).withMaxAttempts(1).writtenBy(EPOCH).build()));
        TaskRecord task = backingOff.assign("j-2/0", "n1", 5);
        backingOff.apply(TaskReport.running(task.taskId(), task.attemptId(), "n1", 6));

        assertThat(backingOff.apply(eviction(backingOff.task("j-2/0")), 100))
                .isEqualTo(SchedulingState.ReportOutcome.APPLIED);

        TaskRecord evicted = backingOff.task("j-2/0");
        assertThat(evicted.state()).isEqualTo(TaskState.QUEUED);
        assertThat(evicted.attempt()).as("no attempt charged").isZero();
        assertThat(evicted.losses()).as("no node loss counted").isZero();
        assertThat(evicted.triedNodes()).containsExactly("n1");
        assertThat(backingOff.runningOn("n1")).isZero();
        assertThat(backingOff.queued()).as("no backoff").extracting(TaskRecord::taskId).containsExactly("j-2/0");
        assertThat(backingOff.drainChanges(100).jobs()).singleElement()
                .satisfies(job -> assertThat(job.counts().queued()).isEqualTo(1));
    }

    @Test
    void when_aTaskIsEvictedMoreOftenThanNodesMayBeLost_then_itIsNeverLost() {
        for (int i = 1; i <= SchedulingState.MAX_NODE_LOSSES + 1; i++) {
            TaskRecord attempt = state.assign("j-1/0", "n" + i, i);
            state.apply(TaskReport.running(attempt.taskId(), attempt.attemptId(), "n" + i, i));
            state.apply(eviction(state.task("j-1/0")), i);
        }
        TaskRecord again = state.assign("j-1/0", "n9", 9);
        state.apply(TaskReport.running(again.taskId(), again.attemptId(), "n9", 9));

        state.nodeLost("n9", 10);

        assertThat(state.task("j-1/0").state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.task("j-1/0").losses()).isEqualTo(1);
    }

    @Test
    void when_aTaskLosesItsNodeAgainAndAgain_then_itEndsLostInsteadOfLoopingForEver() {
        for (int i = 1; i < SchedulingState.MAX_NODE_LOSSES; i++) {
            TaskRecord attempt = state.assign("j-1/0", "n" + i, i);
            state.apply(TaskReport.running(attempt.taskId(), attempt.attemptId(), "n" + i, i));
            state.nodeLost("n" + i, i);
            assertThat(state.task("j-1/0").state()).as("after loss " + i).isEqualTo(TaskState.QUEUED);
        }
        TaskRecord last = state.assign("j-1/0", "n9", 9);
        state.apply(TaskReport.running(last.taskId(), last.attemptId(), "n9", 9));

        state.nodeLost("n9", 10);

        TaskRecord lost = state.task("j-1/0");
        assertThat(lost.state()).isEqualTo(TaskState.LOST);
        assertThat(lost.reason()).contains("lost its node " + SchedulingState.MAX_NODE_LOSSES + " times");
        assertThat(lost.attempt()).as("losses never counted as attempts").isZero();
    }

    @Test
    void when_moreTasksFailThanTheJobTolerates_then_itsOtherTasksAreCancelledRunningOnesKilledAndTheJobFails() {
        SchedulingState failFast = new SchedulingState(EPOCH);
        JobSpec spec = JobSpec.builder("fail-fast").command("run", "{i}").param("i", List.of(0, 1, 2, 3))
                .maxAttempts(1).maxFailedTasks(1).build();
        failFast.adoptJob(anAcceptedJob("j-3", spec).withTasksCreated(EPOCH), IntStream.range(0, 4)
                .mapToObj(i -> aTask("j-3", i).withMaxAttempts(1).writtenBy(EPOCH).build()).toList());
        TaskRecord first = failFast.assign("j-3/0", "n1", 5);
        TaskRecord second = failFast.assign("j-3/1", "n1", 5);
        TaskRecord running = failFast.assign("j-3/2", "n2", 5);

        failFast.apply(failure(first), 10);
        assertThat(failFast.task("j-3/3").state()).as("one failure is tolerated").isEqualTo(TaskState.QUEUED);
        failFast.apply(failure(second), 11);

        assertThat(failFast.task("j-3/3").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(failFast.task("j-3/3").reason()).contains("2 tasks failed, more than its maxFailedTasks of 1");
        assertThat(failFast.task("j-3/2").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(failFast.drainKills()).containsExactly(new SchedulingState.Kill("n2", running.attemptId()));
        assertThat(failFast.drainChanges(12).jobs()).last().extracting(JobRecord::state).isEqualTo(JobState.FAILED);
    }

    @Test
    void when_aJobSetsNoFailureLimit_then_everyTaskRunsWhateverFails() {
        state.apply(failure(state.assign("j-1/0", "n1", 5)), 10);
        state.apply(failure(state.assign("j-1/0", "n1", 11)), 12);

        assertThat(state.task("j-1/0").state()).isEqualTo(TaskState.FAILED);
        assertThat(state.task("j-1/1").state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.drainKills()).isEmpty();
    }
}
