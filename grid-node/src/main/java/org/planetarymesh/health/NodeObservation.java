package org.planetarymesh.health;

/**
 * What the leader knows of a node at one moment.
 *
 * @param member       the node's current member is in the cluster
 * @param silentMillis since the leader last heard a heartbeat from it (by the leader's clock)
 * @param blocked      its name is on the deny list
 * @param draining     an admin asked it to drain
 */
public record NodeObservation(boolean member, long silentMillis, boolean blocked, boolean draining) {
}
