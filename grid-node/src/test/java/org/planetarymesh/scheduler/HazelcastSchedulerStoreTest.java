package org.planetarymesh.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.testing.TestCluster;

/**
 * The store contract on the maps of one coordinator, configured by {@code MemberConfigs} (with its indexes):
 * records are Compact, so the queries work on longs, booleans and the task state enum, which Compact stores as
 * its constant name and which the queries therefore compare with strings; writes go through the
 * {@link FencedWrites} entry processors.
 */
class HazelcastSchedulerStoreTest extends SchedulerStoreContract {
    private static TestCluster cluster;
    private static IMap<String, JobRecord> jobs;
    private static IMap<String, TaskRecord> tasks;
    private static SchedulerStore store;

    @BeforeAll
    static void startCoordinator() {
        cluster = TestCluster.start();
        HazelcastInstance coordinator = cluster.coordinator("coordinator-1");
        jobs = coordinator.getMap(MeshObjects.JOBS);
        tasks = coordinator.getMap(MeshObjects.TASKS);
        store = new HazelcastSchedulerStore(coordinator);
    }

    @AfterAll
    static void stopCoordinator() {
        cluster.close();
    }

    @Override
    SchedulerStore store() {
        return store;
    }

    @Override
    void submit(JobRecord job) {
        jobs.set(job.jobId(), job);
    }

    @Override
    void put(TaskRecord task) {
        tasks.set(task.taskId(), task);
    }

    @Override
    void requestCancel(String jobId) {
        jobs.executeOnKey(jobId, new RequestCancel());
    }

    @Override
    TaskRecord storedTask(String taskId) {
        return tasks.get(taskId);
    }
}
