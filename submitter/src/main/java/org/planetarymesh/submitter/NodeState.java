package org.planetarymesh.submitter;

/** Where a node stands with the mesh. */
public enum NodeState {
    /** A member of the mesh; the scheduler may place tasks on it. */
    HEALTHY,
    /** Left the mesh (stopped, crashed or cut off); its tasks were requeued. */
    OFFLINE,
    /** Refused by every member until an admin unblocks it; its tasks were requeued. */
    BLOCKED
}
