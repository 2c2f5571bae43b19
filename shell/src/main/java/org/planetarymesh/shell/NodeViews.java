package org.planetarymesh.shell;

import java.util.List;
import java.util.TreeSet;
import org.planetarymesh.submitter.NodeInfo;

/** Nodes as text for people. Pure. */
final class NodeViews {
    private NodeViews() {
    }

    static String nodesTable(List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return "no nodes";
        }
        Table table = Table.withColumns("name", "role", "online", "address", "slots", "running", "cores", "memory",
                        "os/arch", "labels", "latency")
                .rightAlign("slots", "running", "cores", "memory", "latency");
        for (NodeInfo node : nodes) {
            table.row(node.name(), node.role(), node.online() ? "yes" : "no", node.address(), node.slots(),
                    node.runningTasks(), node.cores(), Human.bytes(node.memoryBytes()),
                    node.os() + "/" + node.arch(),
                    node.labels().isEmpty() ? Human.NONE : String.join(",", new TreeSet<>(node.labels())),
                    Human.latency(node.latencyMicros()));
        }
        return table.render();
    }
}
