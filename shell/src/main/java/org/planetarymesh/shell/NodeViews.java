package org.planetarymesh.shell;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.NodeInfo;

/** Nodes as text for people. Pure. */
final class NodeViews {
    private NodeViews() {
    }

    static String nodesTable(List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return "no nodes";
        }
        Table table = Table.withColumns("name", "role", "state", "address", "slots", "running", "cores", "memory",
                        "os/arch", "labels", "latency")
                .rightAlign("slots", "running", "cores", "memory", "latency");
        for (NodeInfo node : nodes) {
            table.row(node.name(), node.role(), node.state().name().toLowerCase(Locale.ROOT), node.address(), node.slots(),
                    node.runningTasks(), node.cores(), Human.bytes(node.memoryBytes()),
                    node.os() + "/" + node.arch(),
                    node.labels().isEmpty() ? Human.NONE : String.join(",", new TreeSet<>(node.labels())),
                    Human.latency(node.latencyMicros()));
        }
        return table.render();
    }

    static String blockedLine(BlockedNode node) {
        return node.name() + " since " + node.blockedAt() + " by " + node.blockedBy() + ": " + node.reason();
    }

    static String blockedTable(List<BlockedNode> nodes) {
        if (nodes.isEmpty()) {
            return "no blocked nodes";
        }
        Table table = Table.withColumns("name", "since", "by", "reason");
        nodes.forEach(n -> table.row(n.name(), n.blockedAt(), n.blockedBy(), n.reason()));
        return table.render();
    }
}
