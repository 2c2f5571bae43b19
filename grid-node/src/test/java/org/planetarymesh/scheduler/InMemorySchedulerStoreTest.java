package org.planetarymesh.scheduler;

import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;

/** The in-memory store the leader's duties are unit-tested against keeps the same contract as the real one. */
class InMemorySchedulerStoreTest extends SchedulerStoreContract {
    private final InMemorySchedulerStore store = new InMemorySchedulerStore();

    @Override
    SchedulerStore store() {
        return store;
    }

    @Override
    void submit(JobRecord job) {
        store.submit(job);
    }

    @Override
    void put(TaskRecord task) {
        store.put(task);
    }

    @Override
    void requestCancel(String jobId) {
        store.requestCancel(jobId);
    }

    @Override
    TaskRecord storedTask(String taskId) {
        return store.task(taskId);
    }
}
