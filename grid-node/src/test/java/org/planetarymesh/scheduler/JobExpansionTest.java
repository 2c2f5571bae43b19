package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aJobWithUnreadableSpec;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;

class JobExpansionTest {
    private static final long EPOCH = 4;
    private static final JobSpec WITH_FILES = JobSpec.builder("with-files").command("sh", "work.sh", "{x}")
            .file("work.sh", "echo $1").param("x", List.of(1, 2, 3)).label("cpu").timeout(Duration.ofSeconds(30))
            .maxAttempts(2).priority(5).build();

    private final InMemorySchedulerStore store = new InMemorySchedulerStore();
    private final SchedulingState state = new SchedulingState(EPOCH);
    private final JobExpansion expansion = new JobExpansion(store);

    @Test
    void when_aJobIsExpanded_then_eachOfItsTasksIsQueuedAsTheSpecSaysAndTheJobIsMarkedTasksCreated() {
        JobRecord job = anAcceptedJob(aJobId(), WITH_FILES);
        store.submit(job);

        assertThat(expansion.expand(job, state, LATER)).isTrue();

        SchedulingState.Changes changes = state.drainChanges(LATER);
        assertThat(changes.tasks()).hasSize(3).allSatisfy(task -> {
            assertThat(task.jobId()).isEqualTo(job.jobId());
            assertThat(task.state()).isEqualTo(TaskState.QUEUED);
            assertThat(task.priority()).isEqualTo(5);
            assertThat(task.timeoutMillis()).isEqualTo(30_000);
            assertThat(task.maxAttempts()).isEqualTo(2);
            assertThat(task.requiredLabels()).containsExactly("cpu");
            assertThat(task.writerEpoch()).isEqualTo(EPOCH);
        }).extracting(TaskRecord::argv).containsExactlyInAnyOrder(
                List.of("sh", "work.sh", "1"), List.of("sh", "work.sh", "2"), List.of("sh", "work.sh", "3"));
        assertThat(changes.jobs()).singleElement().satisfies(written -> {
            assertThat(written.tasksCreated()).isTrue();
            assertThat(written.writerEpoch()).isEqualTo(EPOCH);
            assertThat(written.state()).isEqualTo(JobState.QUEUED);
        });
    }

    @Test
    void when_theStoredSpecCannotBeRead_then_theJobIsFailedAsAWholeWithoutTasks() {
        JobRecord unreadable = aJobWithUnreadableSpec(aJobId(), 3);
        store.submit(unreadable);

        assertThat(expansion.expand(unreadable, state, LATER)).isFalse();

        SchedulingState.Changes changes = state.drainChanges(LATER);
        assertThat(changes.tasks()).isEmpty();
        assertThat(changes.jobs()).singleElement().satisfies(failed -> {
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.counts().failed()).isEqualTo(3);
            assertThat(failed.finishedAt()).isEqualTo(LATER);
            assertThat(failed.tasksCreated()).isTrue();
        });
        assertThat(state.knowsJob(unreadable.jobId())).isFalse();
    }

    @Test
    void when_aJobWasExpandedInThisTerm_then_itsFilesAreTheOnesReadThen() {
        JobRecord job = anAcceptedJob(aJobId(), WITH_FILES);
        expansion.expand(job, state, LATER);

        assertThat(expansion.terms(job.jobId()).files()).isEqualTo(Map.of("work.sh", "echo $1"));
    }

    @Test
    void when_aJobWasExpandedByAnEarlierLeader_then_itsFilesAreReadFromTheStore() {
        // After a takeover, a job with tasks is adopted without reading its spec: dispatch reads it first.
        JobRecord adopted = anAcceptedJob(aJobId(), WITH_FILES).withTasksCreated(EPOCH - 1);
        store.submit(adopted);

        assertThat(expansion.terms(adopted.jobId()).files()).isEqualTo(Map.of("work.sh", "echo $1"));
        assertThat(expansion.terms(adopted.jobId()).files()).isEqualTo(Map.of("work.sh", "echo $1"));
    }

    @Test
    void when_aJobStatesResourcesAndNoNetwork_then_itsTermsCarryThemAndRequireNoNetwork() {
        JobSpec spec = JobSpec.builder("sandboxed").command("run").resources(new Resources(0.5, 256L << 20, 1L << 30, 64))
                .network(NetworkAccess.NONE).requires(Protection.MEMORY_LIMIT).build();
        JobRecord job = anAcceptedJob(aJobId(), spec);
        expansion.expand(job, state, LATER);

        JobExpansion.Terms terms = expansion.terms(job.jobId());

        assertThat(terms.resources()).isEqualTo(new Resources(0.5, 256L << 20, 1L << 30, 64));
        assertThat(terms.network()).isEqualTo(NetworkAccess.NONE);
        assertThat(terms.requiredProtections()).containsExactlyInAnyOrder(Protection.MEMORY_LIMIT,
                Protection.NO_NETWORK);
    }

    @Test
    void when_anAdoptedJobsSpecCannotBeRead_then_itsTasksGetNoFilesAndNoNetwork() {
        JobRecord adopted = aJobWithUnreadableSpec(aJobId(), 2).withTasksCreated(EPOCH - 1);
        store.submit(adopted);

        assertThat(expansion.terms(adopted.jobId())).isEqualTo(JobExpansion.Terms.UNREADABLE);
        assertThat(JobExpansion.Terms.UNREADABLE.network()).isEqualTo(NetworkAccess.NONE);
    }

    @Test
    void when_theJobIsNotStored_then_ithasNoFiles() {
        assertThat(expansion.terms(aJobId()).files()).isEmpty();
    }
}
