package org.planetarymesh.jobs;

/**
 * A blocked node as stored in {@code mesh.blocked}, keyed by node name (the name its certificate carries, so
 * a renewed or re-issued certificate of the same node stays blocked).
 *
 * @param name      the node's name
 * @param reason    why, as the admin said it
 * @param blockedBy who asked (the client's certificate name, or its OS user on a plaintext mesh)
 * @param blockedAt epoch millis
 */
public record BlockRecord(String name, String reason, String blockedBy, long blockedAt) {
}
