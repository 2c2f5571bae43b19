package org.planetarymesh.jobs;

import java.util.List;
import org.planetarymesh.submitter.NodeState;

/**
 * A node of the mesh as stored in {@code mesh.nodes}: written by the node itself on join and on each
 * heartbeat (its load), its {@code state} changed only by the leader (node health rules).
 *
 * @param runningAttempts the attempts the node runs, as its last heartbeat listed them (the leader reconciles)
 * @param loadAverage     the host's one-minute load average per core at the last heartbeat; negative if unknown
 * @param freeMemoryBytes the host's free physical memory at the last heartbeat
 * @param protections     what the node's sandbox enforces on every task ({@code Protection} wire names)
 * @param maxCpus         CPU cores the contributor lets the mesh use; the scheduler's capacity for task {@code cpus}
 * @param maxMemoryBytes  memory the contributor lets the mesh use; the capacity for task {@code memory}
 * @param maxDiskBytes    work-directory space the contributor lets the mesh use; the capacity for task {@code disk}
 * @param unavailableReason empty while the node takes work; else why not (paused by its owner, owner active)
 * @param lastSeen        the node's clock at its last heartbeat (for people; the leader times silence by its own)
 */
public record NodeRecord(String name, String role, String memberUuid, String address, int cores,
                         long memoryBytes, String os, String arch, int slots, List<String> labels,
                         String javaVersion, NodeState state, List<String> runningAttempts, long latencyMicros,
                         double loadAverage, long freeMemoryBytes, List<String> protections, double maxCpus,
                         long maxMemoryBytes, long maxDiskBytes, String unavailableReason, long joinedAt,
                         long lastSeen) {

    public static final String COORDINATOR = "coordinator";
    public static final String AGENT = "agent";

    public NodeRecord {
        labels = List.copyOf(labels);
        runningAttempts = List.copyOf(runningAttempts);
        protections = List.copyOf(protections);
        unavailableReason = unavailableReason == null ? "" : unavailableReason;
    }

    public int runningTasks() {
        return runningAttempts.size();
    }

    /** True while the node takes new work: its owner has not paused it nor is using the machine. */
    public boolean available() {
        return unavailableReason.isEmpty();
    }

    /** A member the leader places on or waits for: not offline, not blocked. */
    public boolean online() {
        return state.isMember();
    }

    public NodeRecord withHeartbeat(List<String> running, String unavailable, long latency, double load,
                                    long freeMemory, long now) {
        return new NodeRecord(name, role, memberUuid, address, cores, memoryBytes, os, arch, slots, labels,
                javaVersion, state, running, latency, load, freeMemory, protections, maxCpus, maxMemoryBytes,
                maxDiskBytes, unavailable, joinedAt, now);
    }

    public NodeRecord withState(NodeState newState) {
        return new NodeRecord(name, role, memberUuid, address, cores, memoryBytes, os, arch, slots, labels,
                javaVersion, newState, newState.isMember() ? runningAttempts : List.of(), latencyMicros, loadAverage,
                freeMemoryBytes, protections, maxCpus, maxMemoryBytes, maxDiskBytes, unavailableReason, joinedAt,
                lastSeen);
    }
}
