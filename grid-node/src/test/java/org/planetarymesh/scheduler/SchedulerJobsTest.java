package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aJobWithUnreadableSpec;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.RecordFixtures;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.registry.NodeOffer;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.policy.PlacementPolicy;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.TestCluster;

/**
 * The real {@link Scheduler} on one coordinator of the mock network, fed as clients feed it (the job map and
 * the wake-up queues). No {@code Agent} runs anywhere: tasks are never placed, or, where an agent member is
 * registered, their dispatch fails and they are requeued.
 */
class SchedulerJobsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Clock clock = Clock.systemUTC();
    private TestCluster cluster;
    private HazelcastInstance coordinator;
    private IMap<String, JobRecord> jobs;
    private IMap<String, TaskRecord> tasks;
    private Scheduler scheduler;

    @BeforeEach
    void startCoordinator() {
        cluster = TestCluster.start();
        coordinator = cluster.coordinator("coordinator-1");
        jobs = coordinator.getMap(MeshObjects.JOBS);
        tasks = coordinator.getMap(MeshObjects.TASKS);
    }

    @AfterEach
    void stopEverything() {
        try {
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            cluster.close();
        }
    }

    /** Starts the scheduler and returns its epoch once its first term is past the takeover. */
    private long startLeading() {
        scheduler = new Scheduler(coordinator, new MapLeaderLock(coordinator), new PlacementPolicy(), clock);
        scheduler.start();
        long epoch = await().atMost(BOUND).until(scheduler::leaderEpoch, e -> e > 0);
        // A job expanded proves the term runs its rounds: whatever is stored from now on is not the takeover's.
        String warmUp = submit(anAcceptedJob(aJobId(), aSweep(1)));
        await().atMost(BOUND).until(() -> jobs.get(warmUp).tasksCreated());
        return epoch;
    }

    @Test
    void when_aJobIsCancelledBeforeTheLeaderExpandedIt_then_itEndsCancelled() {
        startLeading();
        String jobId = aJobId();
        jobs.set(jobId, anAcceptedJob(jobId, aSweep(3)));
        // The cancellation's wake-up reaches the leader first: it does not hold the job yet.
        assertThat(jobs.executeOnKey(jobId, new RequestCancel())).isTrue();
        coordinator.<String>getQueue(MeshObjects.CANCELLATIONS).offer(jobId);
        await().atMost(BOUND).until(() -> coordinator.getQueue(MeshObjects.CANCELLATIONS).isEmpty());

        coordinator.<String>getQueue(MeshObjects.SUBMISSIONS).offer(jobId);

        await().atMost(BOUND).untilAsserted(() -> assertThat(jobs.get(jobId).state()).isEqualTo(JobState.CANCELLED));
        assertThat(tasksOf(jobId)).hasSize(3).extracting(TaskRecord::state).containsOnly(TaskState.CANCELLED);
    }

    @Test
    void when_aStoredSpecCannotBeRead_then_thatJobFailsAndAJobSubmittedAfterItIsExpanded() {
        long epoch = startLeading();

        String unreadable = submit(aJobWithUnreadableSpec(aJobId(), 2));
        String next = submit(anAcceptedJob(aJobId(), aSweep(2)));

        await().atMost(BOUND).untilAsserted(() -> assertThat(tasksOf(next)).hasSize(2)
                .extracting(TaskRecord::state).containsOnly(TaskState.QUEUED));
        await().atMost(BOUND).untilAsserted(() -> {
            JobRecord failed = jobs.get(unreadable);
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.counts()).isEqualTo(StateCounts.none().plus(TaskState.FAILED, 2));
            assertThat(failed.finishedAt()).isNotZero();
        });
        assertThat(tasksOf(unreadable)).isEmpty();
        assertThat(scheduler.leaderEpoch()).as("the term went on").isEqualTo(epoch);
    }

    @Test
    void when_aLeaderAdoptsAJobExpandedBeforeIt_then_itDispatchesItsTasks() {
        HazelcastInstance agent = cluster.agent(cluster.options(RecordFixtures.AGENT));
        new NodeRegistry(agent, RecordFixtures.AGENT).register(agent, NodeRecord.AGENT,
                new NodeOffer(1, Set.of(), List.of(), 8, 16L << 30, 100L << 30), clock);
        // Left by an earlier leader: the job's tasks exist, so the new leader adopts it without reading its spec.
        String jobId = aJobId();
        jobs.set(jobId, anAcceptedJob(jobId, aSweep(1)).withTasksCreated(0));
        TaskRecord queued = RecordFixtures.aTask(jobId, 0).writtenBy(0).build();
        tasks.set(queued.taskId(), queued);

        long epoch = startLeading();

        // The agent member runs no Agent, so the dispatch itself fails and the attempt is requeued.
        await().atMost(BOUND).untilAsserted(() -> assertThat(tasks.get(queued.taskId()).reason())
                .startsWith("dispatch to " + RecordFixtures.AGENT + " failed"));
        assertThat(scheduler.leaderEpoch()).as("the term went on").isEqualTo(epoch);
    }

    /** What {@code HazelcastMeshClient.submit} does: store the accepted job, then wake the scheduler. */
    private String submit(JobRecord job) {
        jobs.set(job.jobId(), job);
        coordinator.<String>getQueue(MeshObjects.SUBMISSIONS).offer(job.jobId());
        return job.jobId();
    }

    private Collection<TaskRecord> tasksOf(String jobId) {
        return tasks.values(Predicates.equal("jobId", jobId));
    }
}
