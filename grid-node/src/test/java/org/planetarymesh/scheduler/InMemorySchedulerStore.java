package org.planetarymesh.scheduler;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;

/**
 * A {@link SchedulerStore} in two maps, with the fencing of {@link FencedWrites}, for unit tests of the
 * leader's duties. It passes the same {@link SchedulerStoreContract} as the Hazelcast store. It lives with
 * the tests: a leader needs storage shared by every coordinator, so production code has no use for it.
 *
 * <p>Besides the interface it writes as clients do ({@link #submit}, {@link #requestCancel}) and as a
 * previous leader did ({@link #put(TaskRecord)}), and reads tasks back for assertions.
 */
final class InMemorySchedulerStore implements SchedulerStore {
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();

    /** Stores a job as it is, like the submitting client (or a previous leader) did. */
    synchronized InMemorySchedulerStore submit(JobRecord job) {
        jobs.put(job.jobId(), job);
        return this;
    }

    /** Stores a task as it is, like a previous leader did. */
    synchronized InMemorySchedulerStore put(TaskRecord task) {
        tasks.put(task.taskId(), task);
        return this;
    }

    /** What {@code RequestCancel} does: flags an unfinished job; false when there is no such job. */
    synchronized boolean requestCancel(String jobId) {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            return false;
        }
        if (!job.cancelRequested() && job.finishedAt() == 0) {
            jobs.put(jobId, job.withCancelRequested());
        }
        return true;
    }

    synchronized TaskRecord task(String taskId) {
        return tasks.get(taskId);
    }

    synchronized List<TaskRecord> tasksOf(String jobId) {
        return tasks.values().stream().filter(t -> t.jobId().equals(jobId)).toList();
    }

    @Override
    public synchronized JobRecord job(String jobId) {
        return jobs.get(jobId);
    }

    @Override
    public synchronized Collection<JobRecord> unfinishedJobs() {
        return jobs.values().stream().filter(j -> j.finishedAt() == 0).toList();
    }

    @Override
    public synchronized Collection<JobRecord> jobsWithoutTasks() {
        return jobs.values().stream().filter(j -> !j.tasksCreated()).toList();
    }

    @Override
    public synchronized Collection<TaskRecord> unfinishedTasks(String jobId) {
        return tasksOf(jobId).stream().filter(t -> !t.state().isTerminal()).toList();
    }

    @Override
    public synchronized Set<Integer> taskIndexes(String jobId) {
        return tasksOf(jobId).stream().map(TaskRecord::index).collect(Collectors.toSet());
    }

    @Override
    public synchronized StateCounts countStates(String jobId) {
        StateCounts counts = StateCounts.none();
        for (TaskRecord task : tasksOf(jobId)) {
            counts = counts.plus(task.state(), 1);
        }
        return counts;
    }

    @Override
    public synchronized boolean write(SchedulingState.Changes changes, long epoch) {
        boolean allWritten = true;
        for (TaskRecord next : changes.tasks()) {
            TaskRecord current = tasks.get(next.taskId());
            if (current != null && current.writerEpoch() > epoch) {
                allWritten = false;
            } else {
                tasks.put(next.taskId(), next);
            }
        }
        for (JobRecord next : changes.jobs()) {
            JobRecord current = jobs.get(next.jobId());
            if (current == null) {
                continue;
            }
            if (current.writerEpoch() > epoch) {
                allWritten = false;
            } else {
                jobs.put(next.jobId(), new JobRecord(current.jobId(), current.name(), current.specJson(),
                        current.taskCount(), current.priority(), current.submittedAt(), next.startedAt(),
                        next.finishedAt(), current.cancelRequested(), next.tasksCreated(), next.counts(), epoch));
            }
        }
        return allWritten;
    }
}
