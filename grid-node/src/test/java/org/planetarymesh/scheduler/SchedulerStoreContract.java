package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;

/**
 * What every {@link SchedulerStore} does, run against each implementation by a subclass. Every test uses
 * fresh job ids, so a subclass may share one store between its tests.
 */
abstract class SchedulerStoreContract {

    /** The store under test. */
    abstract SchedulerStore store();

    /** Stores a job as the submitting client does (a plain write, no fencing). */
    abstract void submit(JobRecord job);

    /** Stores a task as a previous leader left it (a plain write, no fencing). */
    abstract void put(TaskRecord task);

    /** Flags a job cancelled as a client does ({@code RequestCancel}). */
    abstract void requestCancel(String jobId);

    /** The stored task, read directly. */
    abstract TaskRecord storedTask(String taskId);

    private static SchedulingState.Changes tasks(TaskRecord... tasks) {
        return new SchedulingState.Changes(List.of(tasks), List.of());
    }

    private static SchedulingState.Changes jobs(JobRecord... jobs) {
        return new SchedulingState.Changes(List.of(), List.of(jobs));
    }

    // --- reads

    @Test
    void when_aJobIsStored_then_jobReadsItBack() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(2));
        submit(accepted);

        assertThat(store().job(accepted.jobId())).isEqualTo(accepted);
    }

    @Test
    void when_noJobIsStoredUnderTheId_then_jobIsNull() {
        assertThat(store().job(aJobId())).isNull();
    }

    @Test
    void when_jobsAreUnfinishedOrFinished_then_unfinishedJobsFindsOnlyTheUnfinishedOnes() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(2));
        JobRecord running = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(1)
                .withCounts(new StateCounts(1, 0, 1, 0, 0, 0, 0, 0), LATER, 1);
        JobRecord finished = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(1)
                .withCounts(new StateCounts(0, 0, 0, 1, 1, 0, 0, 0), LATER, 1);
        List.of(accepted, running, finished).forEach(this::submit);
        assertThat(finished.finishedAt()).isNotZero();

        assertThat(store().unfinishedJobs()).extracting(JobRecord::jobId)
                .contains(accepted.jobId(), running.jobId())
                .doesNotContain(finished.jobId());
    }

    @Test
    void when_someJobsHaveNoTasksYet_then_jobsWithoutTasksFindsOnlyThose() {
        JobRecord withoutTasks = anAcceptedJob(aJobId(), aSweep(2));
        JobRecord withTasks = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(1);
        submit(withoutTasks);
        submit(withTasks);

        assertThat(store().jobsWithoutTasks()).extracting(JobRecord::jobId)
                .contains(withoutTasks.jobId())
                .doesNotContain(withTasks.jobId());
    }

    @Test
    void when_aJobHasTasksInEveryState_then_unfinishedTasksFindsItsQueuedAssignedAndRunningOnes() {
        String jobId = aJobId();
        List<TaskRecord> all = putOneTaskPerState(jobId);
        putOneTaskPerState(aJobId());

        assertThat(store().unfinishedTasks(jobId))
                .containsExactlyInAnyOrderElementsOf(all.stream().filter(t -> !t.state().isTerminal()).toList())
                .extracting(TaskRecord::state)
                .containsExactlyInAnyOrder(TaskState.QUEUED, TaskState.ASSIGNED, TaskState.RUNNING);
    }

    @Test
    void when_aJobHasTasksInEveryState_then_countStatesCountsOnlyItsOwnTasksPerState() {
        String jobId = aJobId();
        putOneTaskPerState(jobId);
        put(aTask(jobId, 100).build());
        putOneTaskPerState(aJobId());

        assertThat(store().countStates(jobId)).isEqualTo(new StateCounts(2, 1, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void when_someTasksOfAJobAreStored_then_taskIndexesNamesExactlyThoseOfThatJob() {
        String jobId = aJobId();
        put(aTask(jobId, 0).build());
        put(aTask(jobId, 2).in(TaskState.SUCCEEDED).build());
        put(aTask(aJobId(), 1).build());

        assertThat(store().taskIndexes(jobId)).containsExactlyInAnyOrder(0, 2);
        assertThat(store().taskIndexes(aJobId())).isEmpty();
    }

    @Test
    void when_aJobHasNoTasks_then_itHasNoUnfinishedTasksAndCountsNone() {
        String jobId = aJobId();
        submit(anAcceptedJob(jobId, aSweep(2)));

        assertThat(store().unfinishedTasks(jobId)).isEmpty();
        assertThat(store().countStates(jobId)).isEqualTo(StateCounts.none());
    }

    // --- fenced writes of tasks

    @Test
    void when_tasksAreNotStoredYet_then_writeStoresThemAsGiven() {
        String jobId = aJobId();
        TaskRecord first = aTask(jobId, 0).writtenBy(2).build();
        TaskRecord second = aTask(jobId, 1).writtenBy(2).build();

        assertThat(store().write(tasks(first, second), 2)).isTrue();

        assertThat(storedTask(first.taskId())).isEqualTo(first);
        assertThat(storedTask(second.taskId())).isEqualTo(second);
    }

    @Test
    void when_aTaskWasWrittenByAnEqualOrLowerEpoch_then_writeReplacesIt() {
        TaskRecord stored = aTask(aJobId(), 0).in(TaskState.ASSIGNED).writtenBy(5).build();
        put(stored);
        TaskRecord sameEpoch = stored.running(LATER, 5);
        TaskRecord nextEpoch = sameEpoch.attemptLost("node left", false, LATER, 6);

        assertThat(store().write(tasks(sameEpoch), 5)).isTrue();
        assertThat(storedTask(stored.taskId())).isEqualTo(sameEpoch);
        assertThat(store().write(tasks(nextEpoch), 6)).isTrue();
        assertThat(storedTask(stored.taskId())).isEqualTo(nextEpoch);
    }

    @Test
    void when_aTaskWasWrittenByAHigherEpoch_then_writeIsRefusedAndTheTaskIsUnchanged() {
        TaskRecord stored = aTask(aJobId(), 0).in(TaskState.RUNNING).writtenBy(5).build();
        put(stored);
        TaskRecord stale = stored.withPendingReason("written by a deposed leader", 4);

        assertThat(store().write(tasks(stale), 4)).isFalse();

        assertThat(storedTask(stored.taskId())).isEqualTo(stored);
    }

    // --- fenced writes of jobs

    @Test
    void when_aJobIsWrittenWithAnEqualOrHigherEpoch_then_itTakesTheLeadersProgressAndEpoch() {
        JobRecord stored = anAcceptedJob(aJobId(), aSweep(4)).withTasksCreated(3);
        submit(stored);
        JobRecord running = stored.withCounts(new StateCounts(2, 1, 1, 0, 0, 0, 0, 0), LATER, 3);
        JobRecord done = running.withCounts(new StateCounts(0, 0, 0, 3, 1, 0, 0, 0), LATER + 1, 4);

        assertThat(store().write(jobs(running), 3)).isTrue();
        assertThat(store().job(stored.jobId())).isEqualTo(running);
        assertThat(store().write(jobs(done), 4)).isTrue();

        JobRecord after = store().job(stored.jobId());
        assertThat(after).isEqualTo(done);
        assertThat(after.writerEpoch()).isEqualTo(4);
        assertThat(after.startedAt()).isEqualTo(LATER);
        assertThat(after.finishedAt()).isEqualTo(LATER + 1);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void when_aJobWithoutTasksIsWritten_then_itIsMarkedTasksCreated() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(2));
        submit(accepted);

        assertThat(store().write(jobs(accepted.withTasksCreated(2)), 2)).isTrue();

        assertThat(store().job(accepted.jobId()).tasksCreated()).isTrue();
        assertThat(store().jobsWithoutTasks()).extracting(JobRecord::jobId).doesNotContain(accepted.jobId());
    }

    @Test
    void when_aJobWasWrittenByAHigherEpoch_then_writeIsRefusedAndTheJobIsUnchanged() {
        JobRecord stored = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(7);
        submit(stored);
        JobRecord stale = stored.withCounts(StateCounts.none().plus(TaskState.SUCCEEDED, 2), LATER, 6);

        assertThat(store().write(jobs(stale), 6)).isFalse();

        assertThat(store().job(stored.jobId())).isEqualTo(stored);
    }

    @Test
    void when_aClientRequestedCancellation_then_writingTheJobKeepsTheCancelFlag() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(4));
        submit(accepted.withTasksCreated(3));
        requestCancel(accepted.jobId());
        // The leader's copy was taken before the client's request: it does not carry the flag.
        StateCounts counts = new StateCounts(1, 0, 1, 2, 0, 0, 0, 0);
        JobRecord leaders = accepted.withTasksCreated(3).withCounts(counts, LATER, 3);
        assertThat(leaders.cancelRequested()).isFalse();

        assertThat(store().write(jobs(leaders), 3)).isTrue();

        assertKeptTheCancelRequestAndTookTheLeadersProgress(store().job(accepted.jobId()), accepted, counts, LATER,
                3);
    }

    /**
     * A job a client asked to cancel, as stored after the leader wrote its progress ({@code counts}, started at
     * {@code startedAt}, by {@code epoch}) from a copy taken before the request: the flag is the client's, the
     * progress the leader's, the rest what the client stored.
     */
    static void assertKeptTheCancelRequestAndTookTheLeadersProgress(JobRecord stored, JobRecord accepted,
                                                                    StateCounts counts, long startedAt, long epoch) {
        assertThat(stored.cancelRequested()).isTrue();
        assertThat(stored.counts()).isEqualTo(counts);
        assertThat(stored.startedAt()).isEqualTo(startedAt);
        assertThat(stored.writerEpoch()).isEqualTo(epoch);
        assertThat(stored.specJson()).isEqualTo(accepted.specJson());
    }

    @Test
    void when_theJobIsNotStored_then_writeCreatesNothingAndSucceeds() {
        JobRecord neverStored = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(1);

        assertThat(store().write(jobs(neverStored), 1)).isTrue();

        assertThat(store().job(neverStored.jobId())).isNull();
    }

    // --- a write of many records

    @Test
    void when_oneWriteOfManyIsRefused_then_writeReturnsFalseAndTheOthersAreWritten() {
        String jobId = aJobId();
        JobRecord job = anAcceptedJob(jobId, aSweep(3)).withTasksCreated(2);
        submit(job);
        TaskRecord fencedOut = aTask(jobId, 0).writtenBy(3).build();
        TaskRecord writable = aTask(jobId, 1).writtenBy(2).build();
        put(fencedOut);
        put(writable);
        TaskRecord created = aTask(jobId, 2).writtenBy(2).build();
        TaskRecord assigned = writable.assign("agent-1", LATER, 2);
        JobRecord progress = job.withCounts(new StateCounts(2, 1, 0, 0, 0, 0, 0, 0), LATER, 2);

        boolean written = store().write(new SchedulingState.Changes(
                List.of(fencedOut.withPendingReason("stale", 2), assigned, created), List.of(progress)), 2);

        assertThat(written).isFalse();
        assertThat(storedTask(fencedOut.taskId())).isEqualTo(fencedOut);
        assertThat(storedTask(assigned.taskId())).isEqualTo(assigned);
        assertThat(storedTask(created.taskId())).isEqualTo(created);
        assertThat(store().job(jobId)).isEqualTo(progress);
    }

    @Test
    void when_thereIsNothingToWrite_then_writeSucceeds() {
        assertThat(store().write(new SchedulingState.Changes(List.of(), List.of()), 1)).isTrue();
    }

    private List<TaskRecord> putOneTaskPerState(String jobId) {
        TaskState[] states = TaskState.values();
        List<TaskRecord> stored = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            TaskRecord task = aTask(jobId, i).withMaxAttempts(1).in(states[i]).build();
            put(task);
            stored.add(task);
        }
        assertThat(stored).extracting(TaskRecord::state).containsExactly(states);
        return stored;
    }
}
