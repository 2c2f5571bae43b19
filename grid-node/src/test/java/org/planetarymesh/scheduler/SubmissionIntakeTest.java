package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aJobWithUnreadableSpec;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;

/** How the leader turns submitted jobs into tasks, against the in-memory store. */
class SubmissionIntakeTest {
    private static final long EPOCH = 3;

    private final InMemorySchedulerStore store = new InMemorySchedulerStore();
    private final SchedulingState state = new SchedulingState(EPOCH);
    private final SubmissionIntake intake = new SubmissionIntake(store, new JobExpansion(store), state);

    private void flush() {
        assertThat(store.write(state.drainChanges(LATER), EPOCH)).isTrue();
    }

    @Test
    void when_aSubmittedJobArrives_then_itsTasksAreCreatedQueued() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)));

        assertThat(intake.submitted(jobId, LATER)).isEmpty();
        flush();

        assertThat(store.tasksOf(jobId)).hasSize(3).extracting(TaskRecord::state).containsOnly(TaskState.QUEUED);
        assertThat(store.job(jobId).tasksCreated()).isTrue();
    }

    @Test
    void when_aJobIsCancelledBeforeItsTasksAreCreated_then_theyAreCreatedCancelledAndTheJobEndsCancelled() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)));
        assertThat(store.requestCancel(jobId)).isTrue();
        // The cancellation's wake-up came first: the leader did not hold the job yet, so it had nothing to cancel.
        assertThat(state.cancelJob(jobId, LATER)).isEmpty();

        assertThat(intake.submitted(jobId, LATER)).isEmpty();
        flush();

        assertThat(store.tasksOf(jobId)).hasSize(3).extracting(TaskRecord::state).containsOnly(TaskState.CANCELLED);
        assertThat(store.job(jobId).state()).isEqualTo(JobState.CANCELLED);
        assertThat(state.queued()).isEmpty();
    }

    @Test
    void when_aJobIsAlreadyHeldOrHasTasksOrIsUnknown_then_itsSubmissionChangesNothing() {
        String held = aJobId();
        store.submit(anAcceptedJob(held, aSweep(1)));
        intake.submitted(held, LATER);
        flush();
        String expandedByAnEarlierLeader = aJobId();
        store.submit(anAcceptedJob(expandedByAnEarlierLeader, aSweep(1)).withTasksCreated(EPOCH - 1));

        intake.submitted(held, LATER);
        intake.submitted(expandedByAnEarlierLeader, LATER);
        intake.submitted(aJobId(), LATER);

        assertThat(state.drainChanges(LATER).isEmpty()).isTrue();
    }

    @Test
    void when_storedJobsHaveNoTasks_then_theScanAdoptsThoseTheLeaderDoesNotHold() {
        String lostWakeUp = aJobId();
        store.submit(anAcceptedJob(lostWakeUp, aSweep(2)));
        String cancelledToo = aJobId();
        store.submit(anAcceptedJob(cancelledToo, aSweep(1)));
        store.requestCancel(cancelledToo);
        String held = aJobId();
        store.submit(anAcceptedJob(held, aSweep(1)));
        intake.submitted(held, LATER);
        state.drainChanges(LATER); // held, not written yet: the store still says it has no tasks

        assertThat(intake.adoptOrphans(LATER)).isEmpty();

        SchedulingState.Changes changes = state.drainChanges(LATER);
        assertThat(changes.jobs()).extracting(JobRecord::jobId).containsExactlyInAnyOrder(lostWakeUp, cancelledToo);
        assertThat(changes.tasks()).extracting(TaskRecord::jobId, TaskRecord::state).containsExactlyInAnyOrder(
                tuple(lostWakeUp, TaskState.QUEUED),
                tuple(lostWakeUp, TaskState.QUEUED),
                tuple(cancelledToo, TaskState.CANCELLED));
    }

    @Test
    void when_aSubmittedJobsSpecCannotBeRead_then_itFailsAndTheNextJobIsExpanded() {
        JobRecord unreadable = aJobWithUnreadableSpec(aJobId(), 2);
        store.submit(unreadable);
        String next = aJobId();
        store.submit(anAcceptedJob(next, aSweep(2)));

        intake.submitted(unreadable.jobId(), LATER);
        intake.submitted(next, LATER);
        flush();

        assertThat(store.job(unreadable.jobId()).state()).isEqualTo(JobState.FAILED);
        assertThat(store.tasksOf(unreadable.jobId())).isEmpty();
        assertThat(store.tasksOf(next)).hasSize(2);
        assertThat(store.jobsWithoutTasks()).isEmpty();
    }
}
