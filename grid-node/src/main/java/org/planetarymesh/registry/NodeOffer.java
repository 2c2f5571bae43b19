package org.planetarymesh.registry;

import java.util.List;
import java.util.Set;

/**
 * What a node offers the mesh, as its contributor capped it: registered with the node and honoured by the
 * scheduler (it never places more cpus, memory or disk on a node than offered, nor more tasks than slots).
 *
 * @param slots        tasks at once (0 for a coordinator)
 * @param labels       labels jobs may require
 * @param protections  the sandbox's protections, as {@code Protection} wire names
 * @param cpus         CPU cores for tasks
 * @param memoryBytes  memory for tasks
 * @param diskBytes    work-directory space for tasks
 */
public record NodeOffer(int slots, Set<String> labels, List<String> protections, double cpus, long memoryBytes,
                        long diskBytes) {

    public NodeOffer {
        labels = Set.copyOf(labels);
        protections = List.copyOf(protections);
    }

    /** A coordinator's offer: no slots, nothing for tasks. */
    public static NodeOffer coordinator(Set<String> labels) {
        return new NodeOffer(0, labels, List.of(), 0, 0, 0);
    }
}
