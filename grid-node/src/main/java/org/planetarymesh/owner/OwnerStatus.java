package org.planetarymesh.owner;

/**
 * Where the agent stands with its owner, for {@code bin/mesh agent status} and the control channel.
 *
 * @param node      the agent's node name
 * @param state     the owner policy's state
 * @param accepting whether the node takes new work
 * @param reason    empty while accepting; else why not
 * @param running   tasks running now
 * @param suspended tasks stopped for the owner
 * @param load      the owner's last measured CPU load per core (0..1); null if not measured or unknown
 */
public record OwnerStatus(String node, OwnerState state, boolean accepting, String reason, int running,
                          int suspended, Double load) {
}
