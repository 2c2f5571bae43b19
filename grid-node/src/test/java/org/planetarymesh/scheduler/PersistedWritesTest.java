package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.LATER;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.persistence.Persistence;
import org.planetarymesh.persistence.PersistenceOptions;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.TestCluster;

/**
 * The leader's writes on a coordinator whose tasks are written behind and jobs through: a job that finishes is
 * stored only after its tasks are, so a kill right after the write cannot leave a finished job with lost outcomes.
 */
class PersistedWritesTest {
    @TempDir
    Path dataDir;

    private final List<TestCluster> clusters = new ArrayList<>();
    private final List<Persistence> opened = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        clusters.forEach(TestCluster::close);
        opened.forEach(Persistence::close);
    }

    private HazelcastInstance coordinator() {
        TestCluster cluster = TestCluster.start();
        clusters.add(cluster);
        Persistence persistence = Persistence.open(PersistenceOptions.h2In(dataDir));
        opened.add(persistence);
        HazelcastInstance hz = cluster.member(persistence.configure(
                MemberConfigs.coordinator(cluster.options("coordinator-1"))));
        persistence.restore(hz);
        return hz;
    }

    @Test
    void when_aRoundFinishesAJobAndTheCoordinatorIsKilledRightAfter_then_theJobAndAllItsOutcomesAreRestored() {
        HazelcastInstance before = coordinator();
        String jobId = aJobId();
        JobRecord job = anAcceptedJob(jobId, aSweep(200)).withTasksCreated(1);
        before.<String, JobRecord>getMap(MeshObjects.JOBS).set(jobId, job);
        List<TaskRecord> outcomes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            outcomes.add(aTask(jobId, i).in(TaskState.SUCCEEDED).writtenBy(1).build());
        }
        JobRecord finished = job.withCounts(StateCounts.none().plus(TaskState.SUCCEEDED, 200), LATER, 1);
        assertThat(finished.finishedAt()).isNotZero();

        assertThat(new HazelcastSchedulerStore(before).write(new SchedulingState.Changes(outcomes, List.of(finished)),
                1)).isTrue();
        clusters.get(0).terminate(before); // like kill -9: write-behind has no time to store anything

        HazelcastInstance after = coordinator();

        assertThat(after.<String, JobRecord>getMap(MeshObjects.JOBS).get(jobId).state()).isEqualTo(JobState.SUCCEEDED);
        IMap<String, TaskRecord> tasks = after.getMap(MeshObjects.TASKS);
        assertThat(tasks.values()).hasSize(200).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
    }
}
