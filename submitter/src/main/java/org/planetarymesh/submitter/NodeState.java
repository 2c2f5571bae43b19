package org.planetarymesh.submitter;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a node stands with the mesh. The leader decides it from membership, heartbeats and the deny list;
 * every change goes through {@link #allowedNext()}.
 *
 * <pre>
 * HEALTHY ──► SUSPECT ──► OFFLINE ──► HEALTHY (rejoined, heartbeating)
 *    ▲  ◄──────┘            ▲
 *    └── DRAINING ──────────┘
 * any of HEALTHY, SUSPECT, DRAINING, OFFLINE ──► BLOCKED ──► OFFLINE (unblocked: it must rejoin)
 * </pre>
 */
public enum NodeState {
    /** A member that heartbeats; the scheduler may place tasks on it. */
    HEALTHY,
    /** A member whose heartbeats stopped for a few seconds: no new tasks, its running ones are kept. */
    SUSPECT,
    /** Left the mesh (stopped, crashed, frozen or cut off); its tasks were requeued. */
    OFFLINE,
    /** An admin asked it to finish its running tasks and take no new ones. */
    DRAINING,
    /** Refused by every member until an admin unblocks it; its tasks were requeued. */
    BLOCKED;

    /** The states this one may change to (not including itself). */
    public Set<NodeState> allowedNext() {
        return switch (this) {
            case HEALTHY -> EnumSet.of(SUSPECT, OFFLINE, DRAINING, BLOCKED);
            case SUSPECT -> EnumSet.of(HEALTHY, OFFLINE, DRAINING, BLOCKED);
            case DRAINING -> EnumSet.of(HEALTHY, SUSPECT, OFFLINE, BLOCKED);
            case OFFLINE -> EnumSet.of(HEALTHY, DRAINING, BLOCKED);
            case BLOCKED -> EnumSet.of(OFFLINE);
        };
    }

    public boolean canChangeTo(NodeState next) {
        return allowedNext().contains(next);
    }

    /** True while the node is a member the leader hears from or waits for (not offline, not blocked). */
    public boolean isMember() {
        return this == HEALTHY || this == SUSPECT || this == DRAINING;
    }
}
