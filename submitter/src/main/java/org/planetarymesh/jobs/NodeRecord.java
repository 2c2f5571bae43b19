package org.planetarymesh.jobs;

import java.util.List;

/**
 * A node of the mesh as stored in {@code mesh.nodes}: written by the node itself on join and on each
 * heartbeat, marked offline by the scheduler when the member leaves.
 */
public record NodeRecord(String name, String role, String memberUuid, String address, int cores,
                         long memoryBytes, String os, String arch, int slots, List<String> labels,
                         String javaVersion, boolean online, int runningTasks, long latencyMicros,
                         long joinedAt, long lastSeen) {

    public static final String COORDINATOR = "coordinator";
    public static final String AGENT = "agent";

    public NodeRecord withHeartbeat(int running, long latency, long now) {
        return new NodeRecord(name, role, memberUuid, address, cores, memoryBytes, os, arch, slots, labels,
                javaVersion, true, running, latency, joinedAt, now);
    }

    public NodeRecord offline(long now) {
        return new NodeRecord(name, role, memberUuid, address, cores, memoryBytes, os, arch, slots, labels,
                javaVersion, false, 0, latencyMicros, joinedAt, now);
    }
}
