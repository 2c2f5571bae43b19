package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;
import static org.planetarymesh.jobs.RecordFixtures.failure;
import static org.planetarymesh.jobs.RecordFixtures.report;
import static org.planetarymesh.jobs.RecordFixtures.success;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
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
}
