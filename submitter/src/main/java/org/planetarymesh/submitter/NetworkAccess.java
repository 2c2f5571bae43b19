package org.planetarymesh.submitter;

/** Whether a job's tasks may use the network. In a job spec: {@code network: none} (default {@code allowed}). */
public enum NetworkAccess {
    /** The task shares the host's network. */
    ALLOWED,
    /** The task runs in a network namespace of its own with only a loopback device; nodes that cannot do that refuse it. */
    NONE
}
