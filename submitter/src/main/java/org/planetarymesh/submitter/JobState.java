package org.planetarymesh.submitter;

/** The state of a job, derived from the states of its tasks (see {@link Progress#jobState}). */
public enum JobState {
    /** Every task waits for placement (none placed yet, or all back in the queue for a retry). */
    QUEUED,
    /** At least one task is placed or running, or some finished and others wait. */
    RUNNING,
    /** Every task succeeded. */
    SUCCEEDED,
    /** Every task finished and at least one did not succeed. */
    FAILED,
    /** The job was cancelled and every task has stopped. */
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
