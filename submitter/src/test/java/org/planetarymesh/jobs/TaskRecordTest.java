package org.planetarymesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.jobs.RecordFixtures.EPOCH;
import static org.planetarymesh.jobs.RecordFixtures.JOB;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.failure;
import static org.planetarymesh.jobs.RecordFixtures.report;
import static org.planetarymesh.jobs.RecordFixtures.success;
import static org.planetarymesh.jobs.RecordFixtures.timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.planetarymesh.jobs.TaskRecord.IllegalTransitionException;
import org.planetarymesh.submitter.TaskState;

class TaskRecordTest {

    // --- the life of a task ---------------------------------------------------------------------------

    @Test
    void when_accepted_then_theTaskWaitsWithNoAttempt() {
        TaskRecord t = aTask(JOB, 4).withPriority(2).needing("gpu").build();

        assertThat(t.taskId()).isEqualTo("job-1/4");
        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isZero();
        assertThat(t.attemptId()).isEmpty();
        assertThat(t.triedNodes()).isEmpty();
        assertThat(t.env()).containsExactly("K=v");
        assertThat(t.requiredLabels()).containsExactly("gpu");
        assertThat(t.reason()).isEqualTo("waiting for the scheduler");
    }

    @Test
    void when_assigned_then_theAttemptIsCountedAndNamedAfterIt() {
        TaskRecord t = aTask().build().assign("n1", 2_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.ASSIGNED);
        assertThat(t.attempt()).isEqualTo(1);
        assertThat(t.attemptId()).isEqualTo("job-1/0@1");
        assertThat(t.node()).isEqualTo("n1");
        assertThat(t.assignedAt()).isEqualTo(2_000);
        assertThat(t.writerEpoch()).isEqualTo(EPOCH);
        assertThat(t.reason()).isEqualTo("dispatched to n1");
    }

    @Test
    void when_assignedAgainAfterAFailure_then_itIsTheSecondAttemptAndTheOldOutcomeIsCleared() {
        TaskRecord t = aTask().failedOn("n1").assignedTo("n2").build();

        assertThat(t.attempt()).isEqualTo(2);
        assertThat(t.attemptId()).isEqualTo("job-1/0@2");
        assertThat(t.node()).isEqualTo("n2");
        assertThat(t.triedNodes()).containsExactly("n1");
        assertThat(t.exitCode()).isNull();
        assertThat(t.stdout()).isEmpty();
        assertThat(t.stderr()).isEmpty();
        assertThat(t.startedAt()).isZero();
    }

    @Test
    void when_theNodeStartsTheProcess_then_theTaskIsRunning() {
        TaskRecord t = aTask().assignedTo("n1").build().running(3_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.startedAt()).isEqualTo(3_000);
        assertThat(t.attemptId()).isEqualTo("job-1/0@1");
        assertThat(t.reason()).isEqualTo("running on n1");
    }

    @Test
    void when_theAttemptSucceeds_then_theTaskSucceededWithItsOutput() {
        TaskRecord running = aTask().assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(success(running), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(t.exitCode()).isZero();
        assertThat(t.stdout()).isEqualTo("out of job-1/0@1");
        assertThat(t.finishedAt()).isEqualTo(1_500);
        assertThat(t.startedAt()).isEqualTo(running.startedAt());
        assertThat(t.reason()).isEmpty();
        assertThat(t.triedNodes()).containsExactly("n1");
    }

    @Test
    void when_aFastTaskEndsBeforeItsRunningReport_then_itSucceedsStraightFromAssigned() {
        TaskRecord assigned = aTask().assignedTo("n1").build();
        TaskReport done = new TaskReport(assigned.taskId(), assigned.attemptId(), "n1", TaskState.SUCCEEDED, 0,
                "hi", "", false, 1_234, 1_300, "", false, -1, -1);

        TaskRecord t = assigned.attemptEnded(done, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(t.startedAt()).isEqualTo(1_234);
    }

    @Test
    void when_anAttemptFailsWithAttemptsLeft_then_theTaskIsQueuedAgainSayingWhy() {
        TaskRecord running = aTask().withMaxAttempts(2).assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(failure(running), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isEqualTo(1);
        assertThat(t.reason()).isEqualTo("attempt 1 on n1 exit code 1; retrying");
        assertThat(t.triedNodes()).containsExactly("n1");
        assertThat(t.exitCode()).isEqualTo(1);
        assertThat(t.stderr()).isEqualTo("boom at job-1/0@1");
    }

    @Test
    void when_theLastAttemptFails_then_theTaskFailedKeepingItsStderr() {
        TaskRecord running = aTask().withMaxAttempts(2).failedOn("n1").assignedTo("n2").running().build();

        TaskRecord t = running.attemptEnded(failure(running), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.FAILED);
        assertThat(t.attempt()).isEqualTo(2);
        assertThat(t.stderr()).isEqualTo("boom at job-1/0@2");
        assertThat(t.exitCode()).isEqualTo(1);
        assertThat(t.reason()).isEqualTo("exit code 1");
        assertThat(t.triedNodes()).containsExactly("n1", "n2");
        assertThat(t.finishedAt()).isPositive();
    }

    @Test
    void when_anAttemptTimesOutWithAttemptsLeft_then_theTaskIsQueuedAgain() {
        TaskRecord running = aTask().withMaxAttempts(2).assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(timeout(running), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.reason()).isEqualTo("attempt 1 on n1 timed out after 2s; retrying");
        assertThat(t.triedNodes()).containsExactly("n1");
    }

    @Test
    void when_theLastAttemptTimesOut_then_theTaskTimedOutKeepingItsStderr() {
        TaskRecord running = aTask().withMaxAttempts(1).assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(timeout(running), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(t.stderr()).isEqualTo("slow at job-1/0@1");
        assertThat(t.exitCode()).isNull();
        assertThat(t.reason()).isEqualTo("timed out after 2s");
    }

    @Test
    void when_aReportGivesNoReason_then_theOutcomeIsTheReason() {
        TaskRecord running = aTask().withMaxAttempts(1).assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(report(running, TaskState.FAILED, 3, "", ""), EPOCH);

        assertThat(t.reason()).isEqualTo("failed");
    }

    @Test
    void when_anAttemptFailsTwiceOnTheSameNode_then_theNodeIsTriedOnce() {
        TaskRecord t = aTask().failedOn("n1").failedOn("n1").build();

        assertThat(t.triedNodes()).containsExactly("n1");
        assertThat(t.attempt()).isEqualTo(2);
    }

    @Test
    void when_theNodeIsKilledOnRequest_then_theTaskIsCancelled() {
        TaskRecord running = aTask().assignedTo("n1").running().build();

        TaskRecord t = running.attemptEnded(report(running, TaskState.CANCELLED, null, "", ""), EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(t.reason()).isEqualTo("cancelled");
    }

    @Test
    void when_aLateKillReportArrivesForATaskQueuedAgain_then_itDoesNotCancelTheTask() {
        // Regression: QUEUED -> CANCELLED is in the table, and the queued record keeps the old attempt's id,
        // so attemptEnded used to let a late CANCELLED report of attempt 1 cancel the task waiting for retry.
        TaskRecord running = aTask().assignedTo("n1").running().build();
        TaskReport lateKill = report(running, TaskState.CANCELLED, null, "", "killed");
        TaskRecord queuedAgain = running.attemptLost("node n1 left", false, 4_000, EPOCH);

        assertThat(lateKill.attemptId()).isEqualTo(queuedAgain.attemptId());
        assertThatThrownBy(() -> queuedAgain.attemptEnded(lateKill, EPOCH))
                .isInstanceOf(IllegalTransitionException.class);
    }

    // --- lost attempts --------------------------------------------------------------------------------

    @Test
    void when_anAttemptIsLostWithoutCounting_then_theTaskIsQueuedWithTheAttemptNumberGivenBack() {
        TaskRecord t = aTask().withMaxAttempts(2).assignedTo("n1").running().build()
                .attemptLost("node n1 left", false, 4_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isZero();
        assertThat(t.reason()).isEqualTo("node n1 left");
        assertThat(t.triedNodes()).containsExactly("n1");
        assertThat(t.finishedAt()).isZero();
    }

    @Test
    void when_aGivenBackAttemptIsRetried_then_theRetryKeepsTheNumberButGetsANewAttemptId() {
        TaskRecord t = aTask().withMaxAttempts(1).assignedTo("n1").lost(false).assignedTo("n2").build();

        assertThat(t.attempt()).isEqualTo(1);
        // A new id per placement: a late report of the lost attempt (job-1/0@1) is told apart from the retry.
        assertThat(t.dispatches()).isEqualTo(2);
        assertThat(t.attemptId()).isEqualTo("job-1/0@2");
    }

    @Test
    void when_aCountingLossLeavesAttempts_then_theTaskIsQueuedKeepingTheAttempt() {
        TaskRecord t = aTask().withMaxAttempts(2).assignedTo("n1").build()
                .attemptLost("dispatch failed", true, 4_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isEqualTo(1);
        assertThat(t.triedNodes()).containsExactly("n1");
    }

    @Test
    void when_aCountingLossExhaustsTheAttempts_then_theTaskIsLost() {
        TaskRecord t = aTask().withMaxAttempts(2).failedOn("n1").assignedTo("n2").running().build()
                .attemptLost("node n2 left", true, 4_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.LOST);
        assertThat(t.attempt()).isEqualTo(2);
        assertThat(t.finishedAt()).isEqualTo(4_000);
        assertThat(t.reason()).isEqualTo("node n2 left");
        assertThat(t.triedNodes()).containsExactly("n1", "n2");
    }

    @Test
    void when_aNonCountingLossHitsTheLastAttempt_then_theTaskIsQueuedNotLost() {
        TaskRecord t = aTask().withMaxAttempts(1).assignedTo("n1").build()
                .attemptLost("node n1 left", false, 4_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isZero();
    }

    // --- cancel and pending reason --------------------------------------------------------------------

    static Stream<Arguments> liveTasks() {
        return Stream.of(
                Arguments.of("queued", (Supplier<TaskRecord>) () -> aTask().build()),
                Arguments.of("queued for a retry", (Supplier<TaskRecord>) () -> aTask().failedOn("n1").build()),
                Arguments.of("assigned", (Supplier<TaskRecord>) () -> aTask().assignedTo("n1").build()),
                Arguments.of("running", (Supplier<TaskRecord>) () -> aTask().assignedTo("n1").running().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("liveTasks")
    void when_cancelledWhileLive_then_theTaskIsCancelled(String what, Supplier<TaskRecord> fixture) {
        TaskRecord before = fixture.get();

        TaskRecord t = before.cancelled(9_000, EPOCH);

        assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(t.finishedAt()).isEqualTo(9_000);
        assertThat(t.reason()).isEqualTo("cancelled");
        assertThat(t.attempt()).isEqualTo(before.attempt());
        assertThat(before).isEqualTo(fixture.get());
    }

    @Test
    void when_thePendingReasonChanges_then_nothingElseDoes() {
        TaskRecord before = aTask().build();

        TaskRecord t = before.withPendingReason("no node has labels [gpu]", 9);

        assertThat(t.reason()).isEqualTo("no node has labels [gpu]");
        assertThat(t.writerEpoch()).isEqualTo(9);
        assertThat(t.withPendingReason(before.reason(), before.writerEpoch())).isEqualTo(before);
    }

    // --- eviction and usage ---------------------------------------------------------------------------

    @Test
    void when_itsNodeEvictsARunningAttempt_then_theTaskIsQueuedChargingNeitherAnAttemptNorALoss() {
        TaskRecord t = aTask().withMaxAttempts(1).assignedTo("n1").running().evicted().build();

        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.attempt()).isZero();
        assertThat(t.dispatches()).isEqualTo(1);
        assertThat(t.evictions()).isEqualTo(1);
        assertThat(t.losses()).isZero();
        assertThat(t.triedNodes()).containsExactly("n1");
        assertThat(t.reason()).isEqualTo("attempt 1 evicted from n1: owner active; requeued");
        assertThat(t.cpuMillis()).isEqualTo(1_200);
        assertThat(t.peakMemoryBytes()).isEqualTo(64L << 20);
    }

    @Test
    void when_anEvictedTaskRunsAgain_then_itStillHasAllItsAttemptsAndANewAttemptId() {
        TaskRecord t = aTask().withMaxAttempts(1).assignedTo("n1").evicted().assignedTo("n2").build();

        assertThat(t.attempt()).isEqualTo(1);
        assertThat(t.attemptId()).isEqualTo("job-1/0@2");
        assertThat(t.cpuMillis()).isNull();
        assertThat(t.evictions()).isEqualTo(1);
    }

    @Test
    void when_anAttemptReportsWhatItUsed_then_theTaskKeepsIt_andUnknownStaysNull() {
        TaskRecord running = aTask().assignedTo("n1").running().build();

        TaskRecord measured = running.attemptEnded(RecordFixtures.measuredSuccess(running, 5_000, 300L << 20), EPOCH);
        TaskRecord unknown = running.attemptEnded(success(running), EPOCH);

        assertThat(measured.cpuMillis()).isEqualTo(5_000);
        assertThat(measured.peakMemoryBytes()).isEqualTo(300L << 20);
        assertThat(unknown.cpuMillis()).isNull();
        assertThat(unknown.peakMemoryBytes()).isNull();
    }

    // --- every call from every state ------------------------------------------------------------------

    /** A fixture per state; "QUEUED+" is a task queued again after a failed attempt. */
    private static final Map<String, Supplier<TaskRecord>> STATES = new LinkedHashMap<>();

    static {
        STATES.put("QUEUED", () -> aTask().build());
        STATES.put("QUEUED+", () -> aTask().failedOn("n1").build());
        STATES.put("ASSIGNED", () -> aTask().assignedTo("n1").build());
        STATES.put("RUNNING", () -> aTask().assignedTo("n1").running().build());
        STATES.put("SUCCEEDED", () -> aTask().assignedTo("n1").running().succeeded().build());
        STATES.put("FAILED", () -> aTask().withMaxAttempts(1).failedOn("n1").build());
        STATES.put("TIMED_OUT", () -> aTask().withMaxAttempts(1).assignedTo("n1").running().timedOut().build());
        STATES.put("CANCELLED", () -> aTask().cancelled().build());
        STATES.put("LOST", () -> aTask().withMaxAttempts(1).assignedTo("n1").lost(true).build());
    }

    /** Every transition method, with a call that would be legal from the right state. */
    private static final Map<String, UnaryOperator<TaskRecord>> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("assign", t -> t.assign("n2", 8_000, EPOCH));
        CALLS.put("running", t -> t.running(8_000, EPOCH));
        CALLS.put("success", t -> t.attemptEnded(success(t), EPOCH));
        CALLS.put("failure", t -> t.attemptEnded(failure(t), EPOCH));
        CALLS.put("timeout", t -> t.attemptEnded(timeout(t), EPOCH));
        CALLS.put("killed", t -> t.attemptEnded(report(t, TaskState.CANCELLED, null, "", ""), EPOCH));
        CALLS.put("lost", t -> t.attemptLost("gone", true, 8_000, EPOCH));
        CALLS.put("requeue", t -> t.attemptLost("gone", false, 8_000, EPOCH));
        CALLS.put("cancel", t -> t.cancelled(8_000, EPOCH));
        CALLS.put("evict", t -> t.evicted(RecordFixtures.eviction(t), EPOCH));
    }

    /** X = the call is legal from that state. */
    private static final String LEGAL = """
            state      assign running success failure timeout killed lost requeue cancel evict
            QUEUED     X      .       .       .       .       .      .    .       X      .
            QUEUED+    X      .       .       .       .       .      .    .       X      .
            ASSIGNED   .      X       X       X       X       X      X    X       X      X
            RUNNING    .      .       X       X       X       X      X    X       X      X
            SUCCEEDED  .      .       .       .       .       .      .    .       .      .
            FAILED     .      .       .       .       .       .      .    .       .      .
            TIMED_OUT  .      .       .       .       .       .      .    .       .      .
            CANCELLED  .      .       .       .       .       .      .    .       .      .
            LOST       .      .       .       .       .       .      .    .       .      .
            """;

    static Stream<Arguments> everyCallFromEveryState() {
        List<String> lines = LEGAL.lines().toList();
        List<String> calls = Arrays.asList(lines.get(0).trim().split("\\s+"));
        List<Arguments> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            for (int c = 1; c < cells.length; c++) {
                out.add(Arguments.of(cells[0], calls.get(c), cells[c].equals("X")));
            }
        }
        return out.stream();
    }

    @Test
    void theLegalityTableCoversEveryStateAndCall() {
        assertThat(everyCallFromEveryState()).hasSize(STATES.size() * CALLS.size());
        assertThat(STATES.values()).extracting(s -> s.get().state()).containsAll(List.of(TaskState.values()));
    }

    @ParameterizedTest(name = "{1} from {0}: legal {2}")
    @MethodSource("everyCallFromEveryState")
    void everyCallIsLegalExactlyWhereTheTableSays_andNeverChangesTheOriginal(String state, String call,
                                                                              boolean legal) {
        TaskRecord before = STATES.get(state).get();
        UnaryOperator<TaskRecord> change = CALLS.get(call);

        if (legal) {
            TaskRecord after = change.apply(before);
            assertThat(before.state().canTransitionTo(after.state())).as("%s -> %s", before.state(), after.state())
                    .isTrue();
        } else {
            assertThatThrownBy(() -> change.apply(before))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageStartingWith("task job-1/0: illegal transition " + before.state() + " -> ");
        }
        assertThat(before).isEqualTo(STATES.get(state).get());
    }

    @ParameterizedTest
    @EnumSource(value = TaskState.class, names = {"QUEUED", "ASSIGNED", "RUNNING", "LOST"})
    void when_aReportDoesNotEndTheAttempt_then_attemptEndedRefusesIt(TaskState outcome) {
        for (String state : List.of("QUEUED", "ASSIGNED", "RUNNING")) {
            TaskRecord before = STATES.get(state).get();

            assertThatThrownBy(() -> before.attemptEnded(report(before, outcome, null, "", ""), EPOCH))
                    .as("%s report on a %s task", outcome, state)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not end an attempt");
            assertThat(before).isEqualTo(STATES.get(state).get());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"running", "success", "failure", "timeout"})
    void when_aDuplicateReportArrivesAfterTheOutcome_then_itIsRefused(String call) {
        TaskRecord done = aTask().withMaxAttempts(1).assignedTo("n1").running().succeeded().build();

        assertThatThrownBy(() -> CALLS.get(call).apply(done)).isInstanceOf(IllegalTransitionException.class);
    }
}
