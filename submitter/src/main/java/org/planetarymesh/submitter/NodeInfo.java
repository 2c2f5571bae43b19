package org.planetarymesh.submitter;

import java.time.Instant;
import java.util.Set;

/**
 * A node of the mesh as recorded in its registry.
 *
 * @param role          {@code coordinator} (data member, runs the scheduler) or {@code agent} (lite member, runs tasks)
 * @param state         what the leader's health rules say of it (healthy, suspect, offline, draining, blocked)
 * @param slots         how many tasks it runs at once
 * @param runningTasks  tasks placed on it now
 * @param memoryBytes   the host's physical memory
 * @param latencyMicros round trip it measured to the mesh
 */
public record NodeInfo(String name, String role, String address, NodeState state, int cores, long memoryBytes,
                       String os, String arch, int slots, int runningTasks, Set<String> labels,
                       String javaVersion, long latencyMicros, Instant joinedAt, Instant lastSeen) {

    /** True while the node is a member of the mesh (healthy, suspect or draining). */
    public boolean online() {
        return state.isMember();
    }
}
