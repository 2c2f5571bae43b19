package org.planetarymesh.owner;

/** What a change of {@link OwnerState} asks of the node's running tasks; emitted once, at the change. */
public enum OwnerAction {
    /** Nothing to do to the tasks. */
    NONE,
    /** Stop every running task's whole process tree (SIGSTOP): the owner gets the CPU back at once. */
    SUSPEND_RUNNING,
    /** Continue the suspended tasks (SIGCONT). */
    RESUME_RUNNING,
    /** Kill the suspended tasks and requeue them elsewhere; not a task failure, the owner needed the machine. */
    EVICT_RUNNING
}
