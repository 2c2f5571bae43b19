package org.planetarymesh.scheduler;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.testing.OneCoordinator;

/**
 * The store contract on the maps of one coordinator, configured by {@code MemberConfigs} (with its indexes):
 * records are Compact, so the queries work on longs, booleans and the task state enum, which Compact stores as
 * its constant name and which the queries therefore compare with strings; writes go through the
 * {@link FencedWrites} entry processors.
 */
class HazelcastSchedulerStoreTest extends SchedulerStoreContract {
    @RegisterExtension
    static final OneCoordinator COORDINATOR = new OneCoordinator();

    private static SchedulerStore store;

    @BeforeAll
    static void openStore() {
        store = new HazelcastSchedulerStore(COORDINATOR.member());
    }

    @Override
    SchedulerStore store() {
        return store;
    }

    @Override
    void submit(JobRecord job) {
        COORDINATOR.jobs().set(job.jobId(), job);
    }

    @Override
    void put(TaskRecord task) {
        COORDINATOR.tasks().set(task.taskId(), task);
    }

    @Override
    void requestCancel(String jobId) {
        COORDINATOR.jobs().executeOnKey(jobId, new RequestCancel());
    }

    @Override
    TaskRecord storedTask(String taskId) {
        return COORDINATOR.tasks().get(taskId);
    }
}
