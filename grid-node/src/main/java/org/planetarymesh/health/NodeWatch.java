package org.planetarymesh.health;

import java.util.HashMap;
import java.util.Map;
import org.planetarymesh.jobs.NodeRecord;

/**
 * The leader's memory of when it last heard each node, by its own clock: a heartbeat is a change of the
 * node's {@code lastSeen} (the node's clock, never compared with ours). Coordinators do not heartbeat; only
 * membership and the deny list judge them. One per leadership term: a new leader gives every node the full
 * grace period from the start of its term.
 */
public final class NodeWatch {
    private final NodeHealth health;
    private final long termStart;
    private final Map<String, Long> heardAt = new HashMap<>();
    private final Map<String, Long> lastSeenValue = new HashMap<>();

    public NodeWatch(NodeHealth health, long termStart) {
        this.health = health;
        this.termStart = termStart;
    }

    /** Called with each version of a node's entry the leader sees. */
    public void heard(NodeRecord node, long now) {
        Long previous = lastSeenValue.put(node.name(), node.lastSeen());
        if (previous == null || previous != node.lastSeen()) {
            heardAt.put(node.name(), now);
        }
    }

    /** When the leader last heard a heartbeat of {@code name}, by its clock; the term's start if not yet. */
    public long heardAt(String name) {
        return heardAt.getOrDefault(name, termStart);
    }

    /** The health verdict on {@code node} now. */
    public NodeHealth.Verdict judge(NodeRecord node, boolean member, boolean blocked, long now) {
        long silent = NodeRecord.AGENT.equals(node.role()) ? now - heardAt(node.name()) : 0;
        return health.next(node.state(), new NodeObservation(member, Math.max(0, silent), blocked, false));
    }
}
