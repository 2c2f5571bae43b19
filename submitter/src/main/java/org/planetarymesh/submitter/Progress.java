package org.planetarymesh.submitter;

/** How many tasks of a job are in each state. */
public record Progress(int total, int queued, int assigned, int running, int succeeded, int failed,
                       int timedOut, int cancelled, int lost) {

    /** Tasks that reached a terminal state. */
    public int finished() {
        return succeeded + failed + timedOut + cancelled + lost;
    }

    /** True when every task reached a terminal state. */
    public boolean isDone() {
        return total > 0 && finished() == total;
    }

    /** The count of tasks in {@code state}. */
    public int count(TaskState state) {
        return switch (state) {
            case QUEUED -> queued;
            case ASSIGNED -> assigned;
            case RUNNING -> running;
            case SUCCEEDED -> succeeded;
            case FAILED -> failed;
            case TIMED_OUT -> timedOut;
            case CANCELLED -> cancelled;
            case LOST -> lost;
        };
    }

    /** The job's state is derived from its tasks, never stored as an independent fact. */
    public JobState jobState(boolean cancelRequested) {
        if (isDone()) {
            if (succeeded == total) {
                return JobState.SUCCEEDED;
            }
            return cancelRequested ? JobState.CANCELLED : JobState.FAILED;
        }
        return queued == total ? JobState.QUEUED : JobState.RUNNING;
    }

    /** A progress of {@code total} tasks, all queued. */
    public static Progress allQueued(int total) {
        return new Progress(total, total, 0, 0, 0, 0, 0, 0, 0);
    }
}
