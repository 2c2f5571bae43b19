package org.planetarymesh.jobs;

import org.planetarymesh.submitter.JobState;

/**
 * A job as stored in {@code mesh.jobs}. Written by the submitting client once (the acceptance point),
 * then only by the scheduler, fenced by {@code writerEpoch}.
 *
 * @param specJson     the validated spec, canonical JSON
 * @param tasksCreated true once the scheduler stored every task of the job
 * @param startedAt    epoch millis of the first placement, 0 before
 * @param finishedAt   epoch millis when the last task finished, 0 before
 * @param writerEpoch  the leader epoch of the last scheduler write (0 for the client's)
 */
public record JobRecord(String jobId, String name, String specJson, int taskCount, int priority,
                        long submittedAt, long startedAt, long finishedAt, boolean cancelRequested,
                        boolean tasksCreated, StateCounts counts, long writerEpoch) {

    public static JobRecord accepted(String jobId, String name, String specJson, int taskCount, int priority,
                                     long now) {
        return new JobRecord(jobId, name, specJson, taskCount, priority, now, 0, 0, false, false,
                StateCounts.allQueued(taskCount), 0);
    }

    public JobState state() {
        return counts.toProgress().jobState(cancelRequested);
    }

    public JobRecord withCounts(StateCounts newCounts, long now, long epoch) {
        long started = startedAt == 0 && newCounts.queued() < taskCount ? now : startedAt;
        boolean done = newCounts.toProgress().isDone();
        long finished = done ? (finishedAt == 0 ? now : finishedAt) : 0;
        return new JobRecord(jobId, name, specJson, taskCount, priority, submittedAt, started, finished,
                cancelRequested, tasksCreated, newCounts, epoch);
    }

    public JobRecord withTasksCreated(long epoch) {
        return new JobRecord(jobId, name, specJson, taskCount, priority, submittedAt, startedAt, finishedAt,
                cancelRequested, true, counts, epoch);
    }

    public JobRecord withCancelRequested() {
        return new JobRecord(jobId, name, specJson, taskCount, priority, submittedAt, startedAt, finishedAt,
                true, tasksCreated, counts, writerEpoch);
    }
}
