package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.OneCoordinator;

/**
 * The entry processors that write jobs and tasks (the leader's fenced writes and the client's cancel request), run
 * through the maps of a real coordinator (records stored as Compact).
 */
class FencedWritesTest {
    @RegisterExtension
    static final OneCoordinator COORDINATOR = new OneCoordinator();

    private final IMap<String, TaskRecord> tasks = COORDINATOR.tasks();
    private final IMap<String, JobRecord> jobs = COORDINATOR.jobs();

    @Test
    void when_putTaskCarriesALowerEpochThanTheStoredOne_then_itIsRefusedWithTheHigherEpochAndTheTaskIsUnchanged() {
        TaskRecord stored = aTask(aJobId(), 0).in(TaskState.RUNNING).writtenBy(5).build();
        tasks.set(stored.taskId(), stored);
        TaskRecord stale = aTask(stored.jobId(), 0).in(TaskState.QUEUED).writtenBy(4).build();

        Long result = tasks.executeOnKey(stored.taskId(), new FencedWrites.PutTask(4, stale));

        assertThat(result).isEqualTo(5L);
        assertThat(tasks.get(stored.taskId())).isEqualTo(stored);
    }

    @Test
    void when_putTaskCarriesAnEqualOrHigherEpoch_then_itWrites() {
        TaskRecord stored = aTask(aJobId(), 0).in(TaskState.ASSIGNED).writtenBy(5).build();
        tasks.set(stored.taskId(), stored);
        TaskRecord sameEpoch = stored.running(LATER, 5);
        TaskRecord nextEpoch = sameEpoch.attemptLost("node left", false, LATER, 6);

        Long sameEpochResult = tasks.executeOnKey(stored.taskId(), new FencedWrites.PutTask(5, sameEpoch));
        TaskRecord afterSameEpoch = tasks.get(stored.taskId());
        Long nextEpochResult = tasks.executeOnKey(stored.taskId(), new FencedWrites.PutTask(6, nextEpoch));

        assertThat(sameEpochResult).isEqualTo(FencedWrites.WRITTEN);
        assertThat(afterSameEpoch).isEqualTo(sameEpoch);
        assertThat(nextEpochResult).isEqualTo(FencedWrites.WRITTEN);
        assertThat(tasks.get(stored.taskId())).isEqualTo(nextEpoch);
    }

    @Test
    void when_noTaskIsStoredYet_then_putTaskWrites() {
        TaskRecord created = aTask(aJobId(), 3).writtenBy(2).build();

        Long result = tasks.executeOnKey(created.taskId(), new FencedWrites.PutTask(2, created));

        assertThat(result).isEqualTo(FencedWrites.WRITTEN);
        assertThat(tasks.get(created.taskId())).isEqualTo(created);
    }

    @Test
    void when_aClientRequestedCancellation_then_updateJobWritesCountsAndKeepsTheCancelFlag() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(4));
        jobs.set(accepted.jobId(), accepted.withTasksCreated(3));
        assertThat(jobs.executeOnKey(accepted.jobId(), new RequestCancel())).isTrue();
        StateCounts counts = new StateCounts(1, 0, 1, 2, 0, 0, 0, 0);

        Long result = jobs.executeOnKey(accepted.jobId(),
                new FencedWrites.UpdateJob(3, counts, LATER, 0, true));

        assertThat(result).isEqualTo(FencedWrites.WRITTEN);
        SchedulerStoreContract.assertKeptTheCancelRequestAndTookTheLeadersProgress(jobs.get(accepted.jobId()),
                accepted, counts, LATER, 3);
    }

    @Test
    void when_aClientCancelsAFinishedJob_then_theJobKeepsItsOutcome() {
        JobRecord failed = anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(3)
                .withCounts(new StateCounts(0, 0, 0, 1, 1, 0, 0, 0), LATER, 3);
        jobs.set(failed.jobId(), failed);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);

        Boolean found = jobs.executeOnKey(failed.jobId(), new RequestCancel());

        assertThat(found).isTrue();
        assertThat(jobs.get(failed.jobId())).isEqualTo(failed);
        assertThat(jobs.get(failed.jobId()).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void when_aClientCancelsAJobThatIsNotStored_then_requestCancelSaysSoAndCreatesNothing() {
        String jobId = aJobId();

        assertThat(jobs.executeOnKey(jobId, new RequestCancel())).isFalse();

        assertThat(jobs.containsKey(jobId)).isFalse();
    }

    @Test
    void when_updateJobCarriesALowerEpochThanTheStoredOne_then_itIsRefusedAndTheJobIsUnchanged() {
        JobRecord accepted = anAcceptedJob(aJobId(), aSweep(2));
        JobRecord stored = accepted.withTasksCreated(7);
        jobs.set(stored.jobId(), stored);

        Long result = jobs.executeOnKey(stored.jobId(),
                new FencedWrites.UpdateJob(6, StateCounts.none().plus(TaskState.SUCCEEDED, 2),
                        LATER, LATER, true));

        assertThat(result).isEqualTo(7L);
        assertThat(jobs.get(stored.jobId())).isEqualTo(stored);
    }

    @Test
    void when_theJobIsNotStored_then_updateJobCreatesNothing() {
        String jobId = aJobId();

        Long result = jobs.executeOnKey(jobId, new FencedWrites.UpdateJob(1, StateCounts.none(), 0, 0, true));

        assertThat(result).isEqualTo(FencedWrites.WRITTEN);
        assertThat(jobs.containsKey(jobId)).isFalse();
    }
}
