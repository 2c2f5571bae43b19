package org.planetarymesh.shell;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.Protection;

/** Nodes as text for people. Pure. */
final class NodeViews {
    /** Short names for the protections column, so that nine of them fit a terminal line. */
    private static final Map<Protection, String> SHORT = Map.of(Protection.MEMORY_LIMIT, "mem",
            Protection.CPU_LIMIT, "cpu", Protection.CPU_TIME_LIMIT, "cpu-time", Protection.PROCESS_LIMIT, "procs",
            Protection.DISK_LIMIT, "disk", Protection.NO_NETWORK, "no-net", Protection.FILESYSTEM_ISOLATION, "fs",
            Protection.PID_ISOLATION, "pid", Protection.SEPARATE_USER, "user");
    private static final int AVAILABILITY_WIDTH = 30;

    private NodeViews() {
    }

    /** {@code mem,cpu,no-net} in the enum's order, {@code -} for none. */
    static String protections(Set<Protection> protections) {
        return protections.isEmpty() ? Human.NONE : protections.stream().sorted().map(SHORT::get)
                .collect(Collectors.joining(","));
    }

    /** {@code yes}, or why the node takes no new work ({@code paused by its owner}). */
    static String availability(NodeInfo node) {
        return node.available() ? "yes" : Human.oneLine(node.unavailableReason(), AVAILABILITY_WIDTH);
    }

    static String nodesTable(List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return "no nodes";
        }
        Table table = Table.withColumns("name", "role", "state", "available", "address", "slots", "running", "cores",
                        "memory", "os/arch", "labels", "protections", "latency")
                .rightAlign("slots", "running", "cores", "memory", "latency");
        for (NodeInfo node : nodes) {
            table.row(node.name(), node.role(), node.state().name().toLowerCase(Locale.ROOT), availability(node),
                    node.address(), node.slots(), node.runningTasks(), node.cores(), Human.bytes(node.memoryBytes()),
                    node.os() + "/" + node.arch(),
                    node.labels().isEmpty() ? Human.NONE : String.join(",", new TreeSet<>(node.labels())),
                    protections(node.protections()), Human.latency(node.latencyMicros()));
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
