package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.AGENT;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aJobWithUnreadableSpec;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;

/** What a new leader makes of the store before its first round, against the in-memory store. */
class TakeOverTest {
    private static final long OLD_EPOCH = 4;
    private static final long EPOCH = 5;

    private final InMemorySchedulerStore store = new InMemorySchedulerStore();
    private final SchedulingState state = new SchedulingState(EPOCH);
    private final TakeOver takeOver = new TakeOver(store, new JobExpansion(store), state,
            Clock.fixed(Instant.ofEpochMilli(LATER), ZoneOffset.UTC));

    /** Runs the takeover with these agents online and writes what it changed, as the term's first flush does. */
    private List<SchedulingState.Kill> takeOver(String... liveAgents) {
        List<SchedulingState.Kill> kills = takeOver.run(Set.of(liveAgents));
        assertThat(store.write(state.drainChanges(LATER), EPOCH)).as("the takeover's writes").isTrue();
        return kills;
    }

    private TaskRecord stored(TaskRecord task) {
        store.put(task);
        return task;
    }

    @Test
    void when_aJobWasStoredWithoutTasksCreated_then_allItsTasksAreCreatedQueued() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)));
        // The previous leader wrote one task, then died before marking the job: its tasks are created anew.
        stored(aTask(jobId, 0).writtenBy(OLD_EPOCH).build());

        assertThat(takeOver(AGENT)).isEmpty();

        assertThat(store.tasksOf(jobId)).hasSize(3).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.QUEUED);
            assertThat(task.writerEpoch()).isEqualTo(EPOCH);
        }).extracting(TaskRecord::argv)
                .containsExactlyInAnyOrder(List.of("echo", "1"), List.of("echo", "2"), List.of("echo", "3"));
        assertThat(store.job(jobId).tasksCreated()).isTrue();
        assertThat(store.job(jobId).state()).isEqualTo(JobState.QUEUED);
        assertThat(state.queued()).hasSize(3);
    }

    @Test
    void when_aJobIsRestoredWithTasksCreatedButSomeTasksMissing_then_onlyTheMissingOnesAreCreatedQueued() {
        String jobId = aJobId();
        // Restored from the database: the job was written through, two of its four tasks had not been written behind.
        store.submit(anAcceptedJob(jobId, aSweep(4)).withTasksCreated(OLD_EPOCH));
        TaskRecord done = stored(aTask(jobId, 0).in(TaskState.SUCCEEDED).writtenBy(OLD_EPOCH).build());
        stored(aTask(jobId, 2).in(TaskState.RUNNING).writtenBy(OLD_EPOCH).build());

        takeOver(AGENT);

        assertThat(store.tasksOf(jobId)).extracting(TaskRecord::index).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(store.tasksOf(jobId)).filteredOn(t -> t.index() == 1 || t.index() == 3).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.QUEUED);
            assertThat(task.writerEpoch()).isEqualTo(EPOCH);
        }).extracting(TaskRecord::argv).containsExactlyInAnyOrder(List.of("echo", "2"), List.of("echo", "4"));
        assertThat(store.tasksOf(jobId)).filteredOn(t -> t.index() == 0).containsExactly(done);
        assertThat(store.job(jobId).counts()).isEqualTo(new StateCounts(2, 0, 1, 1, 0, 0, 0, 0));
        assertThat(state.queued()).extracting(TaskRecord::index).containsExactlyInAnyOrder(1, 3);
    }

    @Test
    void when_anAgentMayRejoin_then_itsAttemptsStayOnItAndOnlyThoseOfOtherGoneAgentsAreRequeued() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)).withTasksCreated(OLD_EPOCH));
        TaskRecord onRejoining = stored(aTask(jobId, 0).in(TaskState.RUNNING).writtenBy(OLD_EPOCH).build());
        stored(aTask(jobId, 1).assignedTo("agent-gone").writtenBy(OLD_EPOCH).build());
        stored(aTask(jobId, 2).writtenBy(OLD_EPOCH).build());
        List<SchedulingState.Kill> kills = takeOver.run(Set.of(), Set.of(AGENT));

        assertThat(kills).isEmpty();
        assertThat(takeOver.rejoining()).containsExactly(AGENT);
        assertThat(state.task(onRejoining.taskId())).isEqualTo(onRejoining.stampedBy(EPOCH));
        assertThat(state.runningOn(AGENT)).isEqualTo(1);
        assertThat(state.task(TaskRecord.taskId(jobId, 1)).state()).isEqualTo(TaskState.QUEUED);
        assertThat(state.runningOn("agent-gone")).isZero();
    }

    @Test
    void when_aJobsStoredCountsDriftedFromItsTasks_then_itIsAdoptedWithCountsRecountedFromTheTasks() {
        String jobId = aJobId();
        // Stored as all queued: the previous leader wrote the tasks' progress, then died before the job's.
        store.submit(anAcceptedJob(jobId, aSweep(4)).withTasksCreated(OLD_EPOCH));
        stored(aTask(jobId, 0).in(TaskState.SUCCEEDED).writtenBy(OLD_EPOCH).build());
        TaskRecord running = stored(aTask(jobId, 1).in(TaskState.RUNNING).writtenBy(OLD_EPOCH).build());
        TaskRecord queued = stored(aTask(jobId, 2).writtenBy(OLD_EPOCH).build());
        stored(aTask(jobId, 3).withMaxAttempts(1).in(TaskState.FAILED).writtenBy(OLD_EPOCH).build());

        takeOver(AGENT);

        JobRecord job = store.job(jobId);
        assertThat(job.counts()).isEqualTo(new StateCounts(1, 0, 1, 1, 1, 0, 0, 0));
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.startedAt()).isEqualTo(LATER);
        assertThat(job.writerEpoch()).isEqualTo(EPOCH);
        assertThat(state.taskCount()).as("only its unfinished tasks are held").isEqualTo(2);
        assertThat(state.runningOn(AGENT)).isEqualTo(1);
        assertThat(state.task(running.taskId()).attemptId()).isEqualTo(running.attemptId());
        assertThat(state.queued()).extracting(TaskRecord::taskId).containsExactly(queued.taskId());
    }

    @Test
    void when_aJobIsFlaggedCancelRequested_then_itIsCancelledAndItsAttemptsOnNodesAreReturnedToKill() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)).withTasksCreated(OLD_EPOCH));
        assertThat(store.requestCancel(jobId)).isTrue();
        TaskRecord running = stored(aTask(jobId, 0).in(TaskState.RUNNING).writtenBy(OLD_EPOCH).build());
        TaskRecord assigned = stored(aTask(jobId, 1).assignedTo("agent-2").writtenBy(OLD_EPOCH).build());
        stored(aTask(jobId, 2).writtenBy(OLD_EPOCH).build());

        List<SchedulingState.Kill> kills = takeOver(AGENT, "agent-2");

        assertThat(kills).containsExactlyInAnyOrder(new SchedulingState.Kill(AGENT, running.attemptId()),
                new SchedulingState.Kill("agent-2", assigned.attemptId()));
        assertThat(store.tasksOf(jobId)).extracting(TaskRecord::state).containsOnly(TaskState.CANCELLED);
        assertThat(store.job(jobId).state()).isEqualTo(JobState.CANCELLED);
        assertThat(store.job(jobId).finishedAt()).isEqualTo(LATER);
        assertThat(state.taskCount()).isZero();
    }

    @Test
    void when_aJobWithoutTasksIsFlaggedCancelRequested_then_itsTasksAreCreatedCancelled() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(2)));
        assertThat(store.requestCancel(jobId)).isTrue();

        assertThat(takeOver(AGENT)).isEmpty();

        assertThat(store.tasksOf(jobId)).hasSize(2).extracting(TaskRecord::state).containsOnly(TaskState.CANCELLED);
        assertThat(store.job(jobId).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void when_attemptsAreOnANodeThatIsGone_then_theyAreRequeuedWithoutChargingTheTask() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(3)).withTasksCreated(OLD_EPOCH));
        // One attempt allowed: had the lost attempt counted, the task would be LOST.
        TaskRecord running = stored(aTask(jobId, 0).withMaxAttempts(1).in(TaskState.RUNNING).writtenBy(OLD_EPOCH)
                .build());
        TaskRecord assigned = stored(aTask(jobId, 1).withMaxAttempts(1).in(TaskState.ASSIGNED).writtenBy(OLD_EPOCH)
                .build());
        TaskRecord elsewhere = stored(aTask(jobId, 2).assignedTo("agent-2").running().writtenBy(OLD_EPOCH).build());
        assertThat(running.maxAttempts()).isEqualTo(1);

        assertThat(takeOver("agent-2")).isEmpty();

        for (TaskRecord before : List.of(running, assigned)) {
            TaskRecord after = store.task(before.taskId());
            assertThat(after.state()).isEqualTo(TaskState.QUEUED);
            assertThat(after.attempt()).as("attempts charged").isZero();
            assertThat(after.triedNodes()).containsExactly(AGENT);
            assertThat(after.reason()).isEqualTo("node " + AGENT + " left the mesh");
        }
        assertThat(store.task(elsewhere.taskId()).state()).isEqualTo(TaskState.RUNNING);
        assertThat(state.runningOn(AGENT)).isZero();
        assertThat(state.runningOn("agent-2")).isEqualTo(1);
        assertThat(store.job(jobId).counts()).isEqualTo(new StateCounts(2, 0, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void when_aJobsStoredSpecCannotBeRead_then_itIsFailedAndTheOtherJobsAreStillAdopted() {
        JobRecord unreadable = aJobWithUnreadableSpec(aJobId(), 3);
        store.submit(unreadable);
        String withoutTasks = aJobId();
        store.submit(anAcceptedJob(withoutTasks, aSweep(2)));
        String withTasks = aJobId();
        store.submit(anAcceptedJob(withTasks, aSweep(1)).withTasksCreated(OLD_EPOCH));
        stored(aTask(withTasks, 0).writtenBy(OLD_EPOCH).build());

        takeOver(AGENT);

        JobRecord failed = store.job(unreadable.jobId());
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.counts()).isEqualTo(StateCounts.none().plus(TaskState.FAILED, 3));
        assertThat(failed.finishedAt()).isEqualTo(LATER);
        assertThat(failed.tasksCreated()).isTrue();
        assertThat(store.tasksOf(unreadable.jobId())).isEmpty();
        assertThat(store.tasksOf(withoutTasks)).hasSize(2);
        assertThat(store.job(withoutTasks).tasksCreated()).isTrue();
        assertThat(store.job(withTasks).writerEpoch()).isEqualTo(EPOCH);
        assertThat(state.queued()).extracting(TaskRecord::jobId)
                .containsExactlyInAnyOrder(withoutTasks, withoutTasks, withTasks);
    }

    @Test
    void when_aLeaderTakesOver_then_everyTaskItAdoptsIsStampedWithItsEpochAndFencesTheOldLeaderOut() {
        String jobId = aJobId();
        store.submit(anAcceptedJob(jobId, aSweep(4)).withTasksCreated(OLD_EPOCH - 1));
        List<TaskRecord> unfinished = List.of(
                stored(aTask(jobId, 0).writtenBy(OLD_EPOCH - 1).build()),
                stored(aTask(jobId, 1).in(TaskState.ASSIGNED).writtenBy(OLD_EPOCH).build()),
                stored(aTask(jobId, 2).in(TaskState.RUNNING).writtenBy(OLD_EPOCH).build()));
        TaskRecord succeeded = stored(aTask(jobId, 3).in(TaskState.SUCCEEDED).writtenBy(OLD_EPOCH).build());
        String finishedJob = aJobId();
        store.submit(anAcceptedJob(finishedJob, aSweep(1)).withTasksCreated(OLD_EPOCH)
                .withCounts(StateCounts.none().plus(TaskState.SUCCEEDED, 1), LATER, OLD_EPOCH));
        TaskRecord ofFinishedJob = stored(aTask(finishedJob, 0).in(TaskState.SUCCEEDED).writtenBy(OLD_EPOCH).build());

        List<SchedulingState.Kill> kills = takeOver.run(Set.of(AGENT));
        SchedulingState.Changes changes = state.drainChanges(LATER);

        assertThat(kills).isEmpty();
        assertThat(changes.tasks()).extracting(TaskRecord::taskId)
                .containsExactlyInAnyOrderElementsOf(unfinished.stream().map(TaskRecord::taskId).toList());
        assertThat(changes.tasks()).extracting(TaskRecord::writerEpoch).containsOnly(EPOCH);
        assertThat(store.write(changes, EPOCH)).isTrue();
        for (TaskRecord before : unfinished) {
            assertThat(store.task(before.taskId())).isEqualTo(before.stampedBy(EPOCH));
        }
        assertThat(store.task(succeeded.taskId())).isEqualTo(succeeded);
        assertThat(store.task(ofFinishedJob.taskId())).isEqualTo(ofFinishedJob);
        assertThat(store.job(finishedJob).writerEpoch()).isEqualTo(OLD_EPOCH);
        // The old leader's next write of any adopted task is refused, before the new leader changed it.
        TaskRecord oldLeadersVersion = unfinished.get(0).withPendingReason("written by the deposed leader", OLD_EPOCH);
        assertThat(store.write(new SchedulingState.Changes(List.of(oldLeadersVersion), List.of()), OLD_EPOCH))
                .isFalse();
    }
}
