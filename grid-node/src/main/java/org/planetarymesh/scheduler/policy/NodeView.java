package org.planetarymesh.scheduler.policy;

import java.util.Objects;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * What the scheduler knows of one node when it places a round.
 *
 * @param name              the node's unique name
 * @param slots             how many tasks it runs at once (0 is allowed: it never takes a task)
 * @param running           how many tasks hold a slot on it now; may exceed {@code slots} in a stale view
 * @param labels            what it offers (e.g. {@code gpu}); a task needs all of its required labels here
 * @param latencyMicros     the measured round trip to the node; 0 when not measured yet
 * @param accepting         false while the node drains, is starting up or is unhealthy
 * @param protections       what its sandbox enforces on every task; a task needs all of its required ones here
 * @param capacity          the cpus, memory and disk its contributor lets the mesh use
 * @param used              the demands of the tasks that hold a slot on it now; may exceed {@code capacity}
 * @param unavailableReason empty while its owner lets it take work; else why not (e.g. "paused by its owner"):
 *                          it keeps what it runs but gets nothing new
 */
public record NodeView(String name, int slots, int running, Set<String> labels, long latencyMicros,
                       boolean accepting, Set<Protection> protections, Amounts capacity, Amounts used,
                       String unavailableReason) {

    public NodeView {
        Objects.requireNonNull(name, "name");
        if (slots < 0 || running < 0 || latencyMicros < 0) {
            throw new IllegalArgumentException("node " + name + ": slots, running and latency must be >= 0, got "
                    + slots + ", " + running + ", " + latencyMicros);
        }
        labels = Set.copyOf(labels);
        protections = Set.copyOf(protections);
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(used, "used");
        unavailableReason = unavailableReason == null ? "" : unavailableReason;
    }

    /** A node counted in slots only: no protections, no limit on cpus, memory or disk, available. */
    public NodeView(String name, int slots, int running, Set<String> labels, long latencyMicros, boolean accepting) {
        this(name, slots, running, labels, latencyMicros, accepting, Set.of(), Amounts.UNLIMITED, Amounts.NONE, "");
    }

    /** Slots not taken; negative when the node is oversubscribed. */
    public int free() {
        return slots - running;
    }

    /** True while its owner lets it take new work. */
    public boolean available() {
        return unavailableReason.isEmpty();
    }
}
