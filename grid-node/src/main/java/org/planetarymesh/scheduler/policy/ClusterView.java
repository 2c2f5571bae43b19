package org.planetarymesh.scheduler.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A read-only snapshot of the nodes the scheduler may place on: every online node, accepting or not. */
public record ClusterView(List<NodeView> nodes) {

    public ClusterView {
        nodes = List.copyOf(nodes);
        Set<String> names = new HashSet<>();
        for (NodeView node : nodes) {
            if (!names.add(node.name())) {
                throw new IllegalArgumentException("node " + node.name() + " appears twice in the view");
            }
        }
    }

    static ClusterView of(NodeView... nodes) {
        return new ClusterView(List.of(nodes));
    }
}
