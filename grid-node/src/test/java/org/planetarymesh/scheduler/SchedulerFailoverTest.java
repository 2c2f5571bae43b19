package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.registry.NodeOffer;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.policy.PlacementPolicy;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.TestCluster;

/**
 * Two coordinators run the real {@link Scheduler} with {@link MapLeaderLock} and {@link PlacementPolicy}
 * on the mock network; one agent is registered but offers no label the job needs, so no task is ever
 * dispatched and the test needs no agent process. The leader's member is killed; the other coordinator
 * must take over the queued tasks and fence the old leader out.
 */
class SchedulerFailoverTest {
    /** Generous for 2 shared cores; the measured hand-over is printed. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(10);
    private static final Duration SCHEDULING_BOUND = Duration.ofSeconds(10);
    private static final int TASKS = 3;

    private final Clock clock = Clock.systemUTC();
    private final List<Scheduler> schedulers = new ArrayList<>();
    private TestCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = TestCluster.start();
    }

    @AfterEach
    void stopEverything() {
        try {
            schedulers.forEach(Scheduler::close);
        } finally {
            cluster.close();
        }
    }

    @Test
    void when_leaderCoordinatorIsKilled_then_theOtherTakesOverTheQueuedTasksAndTheOldEpochIsFencedOut() {
        HazelcastInstance first = cluster.coordinator("coordinator-1");
        HazelcastInstance second = cluster.coordinator("coordinator-2");
        HazelcastInstance agent = cluster.agent(cluster.options("agent-1"));
        new NodeRegistry(agent, "agent-1").register(agent, NodeRecord.AGENT,
                new NodeOffer(2, Set.of("cpu"), List.of(), 8, 16L << 30, 100L << 30), clock);
        Scheduler firstScheduler = startScheduler(first);
        long oldEpoch = await().atMost(SCHEDULING_BOUND).until(firstScheduler::leaderEpoch, epoch -> epoch > 0);
        Scheduler secondScheduler = startScheduler(second);
        IMap<String, JobRecord> jobs = second.getMap(MeshObjects.JOBS);
        IMap<String, TaskRecord> tasks = second.getMap(MeshObjects.TASKS);

        String jobId = submit(second, aSweep(TASKS, "gpu"));

        await().atMost(SCHEDULING_BOUND).untilAsserted(() -> assertThat(tasksOf(tasks, jobId))
                .hasSize(TASKS)
                .allSatisfy(task -> {
                    assertThat(task.state()).isEqualTo(TaskState.QUEUED);
                    assertThat(task.reason()).contains("gpu");
                }));
        assertThat(jobs.get(jobId).tasksCreated()).isTrue();
        assertThat(secondScheduler.leaderEpoch()).as("the second coordinator is not leading yet").isZero();

        long killedAt = System.nanoTime();
        cluster.terminate(first);
        long newEpoch = await().atMost(TAKEOVER_BOUND).pollInterval(Duration.ofMillis(10))
                .until(secondScheduler::leaderEpoch, epoch -> epoch > oldEpoch);
        System.out.printf("scheduler hand-over after the leader's member was killed: %d ms (epoch %d -> %d)%n",
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), oldEpoch, newEpoch);

        assertThat(tasksOf(tasks, jobId)).hasSize(TASKS).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.QUEUED);
            assertThat(task.reason()).contains("gpu");
        });
        // The takeover rewrites the job (recounted from its tasks) with the new epoch; the old leader's
        // write of the job is refused from then on.
        await().atMost(SCHEDULING_BOUND).until(() -> jobs.get(jobId).writerEpoch() == newEpoch);
        JobRecord jobAfterTakeover = jobs.get(jobId);
        assertThat(jobs.executeOnKey(jobId, new FencedWrites.UpdateJob(oldEpoch, StateCounts.none(), 1, 1, true)))
                .isEqualTo(newEpoch);
        assertThat(jobs.get(jobId)).isEqualTo(jobAfterTakeover);

        // The takeover stamps every unfinished task with the new epoch: the old leader's write of any task is
        // refused straight away, before the new leader changed anything about it.
        await().atMost(SCHEDULING_BOUND).untilAsserted(() -> assertThat(tasksOf(tasks, jobId))
                .allSatisfy(task -> assertThat(task.writerEpoch()).isEqualTo(newEpoch)));
        TaskRecord queued = tasks.get(TaskRecord.taskId(jobId, 0));
        TaskRecord oldLeadersVersion = queued.withPendingReason("written by the deposed leader", oldEpoch);
        assertThat(tasks.executeOnKey(queued.taskId(), new FencedWrites.PutTask(oldEpoch, oldLeadersVersion)))
                .isEqualTo(newEpoch);
        assertThat(tasks.get(queued.taskId())).isEqualTo(queued);
        assertThat(queued.state()).isEqualTo(TaskState.QUEUED);

        // And a cancel handled by the new leader still reaches every task.
        cancel(second, jobId);
        await().atMost(SCHEDULING_BOUND).untilAsserted(() -> assertThat(tasksOf(tasks, jobId))
                .allSatisfy(task -> assertThat(task.state()).isEqualTo(TaskState.CANCELLED)));
    }

    private Scheduler startScheduler(HazelcastInstance coordinator) {
        Scheduler scheduler = new Scheduler(coordinator, new MapLeaderLock(coordinator), new PlacementPolicy(), clock);
        schedulers.add(scheduler);
        scheduler.start();
        return scheduler;
    }

    /** What {@code HazelcastMeshClient.submit} does: store the accepted job, then wake the scheduler. */
    private static String submit(HazelcastInstance member, JobSpec spec) {
        String jobId = aJobId();
        member.<String, JobRecord>getMap(MeshObjects.JOBS).set(jobId, anAcceptedJob(jobId, spec));
        member.<String>getQueue(MeshObjects.SUBMISSIONS).offer(jobId);
        return jobId;
    }

    /** What {@code HazelcastJobHandle.cancel} does: flag the job, then wake the scheduler. */
    private static void cancel(HazelcastInstance member, String jobId) {
        assertThat(member.<String, JobRecord>getMap(MeshObjects.JOBS).executeOnKey(jobId, new RequestCancel()))
                .isTrue();
        member.<String>getQueue(MeshObjects.CANCELLATIONS).offer(jobId);
    }

    private static Collection<TaskRecord> tasksOf(IMap<String, TaskRecord> tasks, String jobId) {
        return tasks.values(Predicates.equal("jobId", jobId));
    }
}
