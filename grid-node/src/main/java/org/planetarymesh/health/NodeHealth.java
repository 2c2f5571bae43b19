package org.planetarymesh.health;

import org.planetarymesh.submitter.NodeState;

/**
 * The node health rules: from the current state and an observation to the next state and why. Every result
 * is the current state or one {@link NodeState#allowedNext()} allows; a blocked node that is unblocked goes
 * OFFLINE first and becomes HEALTHY only once it has rejoined and heartbeats.
 */
public final class NodeHealth {
    private final HealthThresholds thresholds;

    public NodeHealth(HealthThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The next state and the reason for the change ({@code reason} is empty when the state stays). */
    public Verdict next(NodeState current, NodeObservation seen) {
        Verdict wanted = wanted(seen);
        if (wanted.state() == current) {
            return new Verdict(current, "");
        }
        if (current.canChangeTo(wanted.state())) {
            return wanted;
        }
        if (current == NodeState.BLOCKED) {
            // it leaves for OFFLINE alone, whatever the node does meanwhile: back only by rejoining
            return new Verdict(NodeState.OFFLINE, "unblocked");
        }
        // OFFLINE to SUSPECT: a rejoined node is HEALTHY once it heartbeats, not suspect before
        return new Verdict(current, "");
    }

    private Verdict wanted(NodeObservation seen) {
        if (seen.blocked()) {
            return new Verdict(NodeState.BLOCKED, "on the deny list");
        }
        if (!seen.member()) {
            return new Verdict(NodeState.OFFLINE, "left the cluster");
        }
        long silent = seen.silentMillis();
        if (silent >= thresholds.offlineAfter().toMillis()) {
            return new Verdict(NodeState.OFFLINE, "no heartbeat for " + silent + " ms");
        }
        if (silent >= thresholds.suspectAfter().toMillis()) {
            return new Verdict(NodeState.SUSPECT, "no heartbeat for " + silent + " ms");
        }
        if (seen.draining()) {
            return new Verdict(NodeState.DRAINING, "draining");
        }
        return new Verdict(NodeState.HEALTHY, "heartbeating");
    }

    /**
     * @param state  the node's state after the observation
     * @param reason why it changed, for the one log line per transition; empty if it did not
     */
    public record Verdict(NodeState state, String reason) {
        public boolean changed(NodeState from) {
            return state != from;
        }
    }
}
