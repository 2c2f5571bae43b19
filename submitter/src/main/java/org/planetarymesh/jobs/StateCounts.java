package org.planetarymesh.jobs;

import org.planetarymesh.submitter.Progress;
import org.planetarymesh.submitter.TaskState;

/** Stored counts of a job's tasks per state; kept by the scheduler, rebuilt from the tasks on leader change. */
public record StateCounts(int queued, int assigned, int running, int succeeded, int failed, int timedOut,
                          int cancelled, int lost) {

    public static StateCounts allQueued(int total) {
        return new StateCounts(total, 0, 0, 0, 0, 0, 0, 0);
    }

    public static StateCounts none() {
        return new StateCounts(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The counts after one task moved from {@code from} to {@code to}. */
    public StateCounts moved(TaskState from, TaskState to) {
        return plus(from, -1).plus(to, 1);
    }

    public StateCounts plus(TaskState state, int delta) {
        return new StateCounts(
                queued + (state == TaskState.QUEUED ? delta : 0),
                assigned + (state == TaskState.ASSIGNED ? delta : 0),
                running + (state == TaskState.RUNNING ? delta : 0),
                succeeded + (state == TaskState.SUCCEEDED ? delta : 0),
                failed + (state == TaskState.FAILED ? delta : 0),
                timedOut + (state == TaskState.TIMED_OUT ? delta : 0),
                cancelled + (state == TaskState.CANCELLED ? delta : 0),
                lost + (state == TaskState.LOST ? delta : 0));
    }

    public int total() {
        return queued + assigned + running + succeeded + failed + timedOut + cancelled + lost;
    }

    public Progress toProgress() {
        return new Progress(total(), queued, assigned, running, succeeded, failed, timedOut, cancelled, lost);
    }
}
