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
 * @param protections   what its sandbox enforces on every task (jobs may require them)
 * @param maxCpus       CPU cores its contributor lets tasks use
 * @param maxMemoryBytes memory its contributor lets tasks use
 * @param maxDiskBytes  work-directory space its contributor lets tasks use
 * @param unavailableReason empty while it takes work; else why not, e.g. "paused by its owner"
 */
public record NodeInfo(String name, String role, String address, NodeState state, int cores, long memoryBytes,
                       String os, String arch, int slots, int runningTasks, Set<String> labels,
                       String javaVersion, long latencyMicros, Instant joinedAt, Instant lastSeen,
                       Set<Protection> protections, double maxCpus, long maxMemoryBytes, long maxDiskBytes,
                       String unavailableReason) {

    public NodeInfo {
        protections = Set.copyOf(protections);
        unavailableReason = unavailableReason == null ? "" : unavailableReason;
    }

    /** True while its owner lets it take new work (it may still be offline or draining). */
    public boolean available() {
        return unavailableReason.isEmpty();
    }

    /** True while the node is a member of the mesh (healthy, suspect or draining). */
    public boolean online() {
        return state.isMember();
    }
}
