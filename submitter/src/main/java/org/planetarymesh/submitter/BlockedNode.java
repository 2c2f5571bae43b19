package org.planetarymesh.submitter;

import java.time.Instant;

/**
 * A node on the mesh's deny list: every member refuses its certificate (any certificate with its name) and
 * closes its connections.
 *
 * @param name      the node's name
 * @param reason    why, as the admin said it
 * @param blockedBy who blocked it
 * @param blockedAt when
 */
public record BlockedNode(String name, String reason, String blockedBy, Instant blockedAt) {
}
