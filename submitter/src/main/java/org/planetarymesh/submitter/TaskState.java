package org.planetarymesh.submitter;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one task of a job. Every change of a task's state goes through {@link #canTransitionTo},
 * the single transition table of the mesh.
 *
 * <pre>
 * QUEUED ──► ASSIGNED ──► RUNNING ──► SUCCEEDED | FAILED | TIMED_OUT
 *   ▲            │   └──────────────────► (a short task's RUNNING report travels with its result)
 *   ▲            │            │
 *   └────────────┴────────────┘  (retry after a failed attempt, or requeue when the node is lost)
 * QUEUED | ASSIGNED | RUNNING ──► CANCELLED
 * ASSIGNED | RUNNING ──► LOST (node lost and no attempt left)
 * </pre>
 */
public enum TaskState {
    /** Waiting for the scheduler to place it. */
    QUEUED,
    /**
     * Placed on a node and dispatched; the node has not reported it started yet. A short task may go
     * straight to its outcome: its RUNNING report is folded into the result when both are sent together.
     */
    ASSIGNED,
    /** The node reported that its process started. */
    RUNNING,
    /** The last attempt exited with code 0. */
    SUCCEEDED,
    /** The last attempt exited non-zero (or could not start) and no attempt is left. */
    FAILED,
    /** The last attempt ran past the job's timeout and was killed. */
    TIMED_OUT,
    /** The job was cancelled before the task finished. */
    CANCELLED,
    /** The node running the last attempt was lost and no attempt is left. */
    LOST;

    private static final Set<TaskState> OUTCOMES = EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST);

    /** True when the task will never change state again. */
    public boolean isTerminal() {
        return OUTCOMES.contains(this);
    }

    /** True while the task holds a slot on a node. */
    public boolean isOnNode() {
        return this == ASSIGNED || this == RUNNING;
    }

    /** The one transition table: may a task in this state move to {@code next}? */
    public boolean canTransitionTo(TaskState next) {
        return allowedNext().contains(next);
    }

    /** Every state this one may move to. */
    public Set<TaskState> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(ASSIGNED, CANCELLED);
            // ASSIGNED may skip RUNNING: a short task's RUNNING report is folded into its result, and an
            // attempt that never started (cannot start, cancelled before) ends from ASSIGNED too.
            case ASSIGNED -> EnumSet.of(RUNNING, QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST);
            case RUNNING -> EnumSet.of(QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST);
            case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST -> EnumSet.noneOf(TaskState.class);
        };
    }
}
