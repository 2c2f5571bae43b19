package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.testing.MeshFixtures.LATER;
import static org.planetarymesh.testing.MeshFixtures.aJobId;
import static org.planetarymesh.testing.MeshFixtures.aSweep;
import static org.planetarymesh.testing.MeshFixtures.aTask;
import static org.planetarymesh.testing.MeshFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.TestCluster;

/**
 * The queries {@link GridStore} runs on takeover work on Compact records in the maps as configured by
 * {@code MemberConfigs} (with its indexes): longs, booleans, and the task state enum, which Compact stores
 * as its constant name and which the queries therefore compare with strings.
 */
class GridStoreQueriesTest {
    private static final long EPOCH = 1;

    private static TestCluster cluster;
    private static IMap<String, JobRecord> jobs;
    private static IMap<String, TaskRecord> tasks;
    private static GridStore store;

    @BeforeAll
    static void startCoordinator() {
        cluster = TestCluster.start();
        HazelcastInstance coordinator = cluster.coordinator("coordinator-1");
        jobs = coordinator.getMap(MeshObjects.JOBS);
        tasks = coordinator.getMap(MeshObjects.TASKS);
        store = new GridStore(coordinator, EPOCH);
    }

    @AfterAll
    static void stopCoordinator() {
        cluster.close();
    }

    @Test
    void when_jobsAreUnfinishedOrFinished_then_unfinishedJobsFindsOnlyTheUnfinishedOnes() {
        JobRecord accepted = store(anAcceptedJob(aJobId(), aSweep(2)));
        JobRecord running = store(anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(EPOCH)
                .withCounts(new StateCounts(1, 0, 1, 0, 0, 0, 0, 0), LATER, EPOCH));
        JobRecord finished = store(anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(EPOCH)
                .withCounts(new StateCounts(0, 0, 0, 1, 1, 0, 0, 0), LATER, EPOCH));
        assertThat(finished.finishedAt()).isNotZero();

        assertThat(store.unfinishedJobs()).extracting(JobRecord::jobId)
                .contains(accepted.jobId(), running.jobId())
                .doesNotContain(finished.jobId());
    }

    @Test
    void when_someJobsHaveNoTasksYet_then_jobsWithoutTasksFindsOnlyThose() {
        JobRecord withoutTasks = store(anAcceptedJob(aJobId(), aSweep(2)));
        JobRecord withTasks = store(anAcceptedJob(aJobId(), aSweep(2)).withTasksCreated(EPOCH));

        assertThat(store.jobsWithoutTasks()).extracting(JobRecord::jobId)
                .contains(withoutTasks.jobId())
                .doesNotContain(withTasks.jobId());
    }

    @Test
    void when_aJobHasTasksInEveryState_then_unfinishedTasksFindsItsQueuedAssignedAndRunningOnes() {
        String jobId = aJobId();
        List<TaskRecord> all = storeOneTaskPerState(jobId);
        storeOneTaskPerState(aJobId());

        assertThat(store.unfinishedTasks(jobId))
                .containsExactlyInAnyOrderElementsOf(all.stream().filter(t -> !t.state().isTerminal()).toList())
                .extracting(TaskRecord::state)
                .containsExactlyInAnyOrder(TaskState.QUEUED, TaskState.ASSIGNED, TaskState.RUNNING);
    }

    @Test
    void when_aJobHasTasksInEveryState_then_countStatesCountsOnlyItsOwnTasksPerState() {
        String jobId = aJobId();
        storeOneTaskPerState(jobId);
        tasks.set(TaskRecord.taskId(jobId, 100), aTask(jobId, 100).build());
        storeOneTaskPerState(aJobId());

        assertThat(store.countStates(jobId)).isEqualTo(new StateCounts(2, 1, 1, 1, 1, 1, 1, 1));
    }

    private static JobRecord store(JobRecord job) {
        jobs.set(job.jobId(), job);
        return job;
    }

    private static List<TaskRecord> storeOneTaskPerState(String jobId) {
        TaskState[] states = TaskState.values();
        List<TaskRecord> stored = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            TaskRecord task = aTask(jobId, i).in(states[i]).build();
            tasks.set(task.taskId(), task);
            stored.add(task);
        }
        assertThat(stored).extracting(TaskRecord::state).containsExactly(states);
        return stored;
    }
}
