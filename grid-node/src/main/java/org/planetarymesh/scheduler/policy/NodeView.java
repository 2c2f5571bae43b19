package org.planetarymesh.scheduler.policy;

import java.util.Objects;
import java.util.Set;

/**
 * What the scheduler knows of one node when it places a round.
 *
 * @param name          the node's unique name
 * @param slots         how many tasks it runs at once (0 is allowed: it never takes a task)
 * @param running       how many tasks hold a slot on it now; may exceed {@code slots} in a stale view
 * @param labels        what it offers (e.g. {@code gpu}); a task needs all of its required labels here
 * @param latencyMicros the measured round trip to the node; 0 when not measured yet
 * @param accepting     false while the node drains, is starting up or is unhealthy
 */
public record NodeView(String name, int slots, int running, Set<String> labels, long latencyMicros,
                       boolean accepting) {

    public NodeView {
        Objects.requireNonNull(name, "name");
        if (slots < 0 || running < 0 || latencyMicros < 0) {
            throw new IllegalArgumentException("node " + name + ": slots, running and latency must be >= 0, got "
                    + slots + ", " + running + ", " + latencyMicros);
        }
        labels = Set.copyOf(labels);
    }

    /** Slots not taken; negative when the node is oversubscribed. */
    public int free() {
        return slots - running;
    }
}
