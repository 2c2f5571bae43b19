package org.planetarymesh.shell;

import java.util.List;
import java.util.function.Supplier;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.NodeInfo;
import org.springframework.shell.command.annotation.Command;
import org.springframework.shell.command.annotation.Option;

/** The mesh's nodes. */
@Command(group = "Nodes")
public class NodeCommands {
    private final Supplier<MeshClient> mesh;

    public NodeCommands(Supplier<MeshClient> mesh) {
        this.mesh = mesh;
    }

    @Command(command = "nodes", description = "List the nodes: online ones first, then by name.")
    public String nodes(@Option(longNames = "json", description = "print JSON") boolean json) {
        List<NodeInfo> nodes = mesh.get().nodes();
        return json ? Json.write(nodes) : NodeViews.nodesTable(nodes);
    }

    @Command(command = "block", description = "Block a node: every member refuses its certificate and closes its"
            + " connections within seconds; its running tasks are requeued on other nodes.")
    public String block(@Option(required = true, description = "the node's name") String node,
                        @Option(longNames = "reason", defaultValue = "", description = "why, for the deny list and logs")
                        String reason,
                        @Option(longNames = "json", description = "print JSON") boolean json) {
        BlockedNode blocked = mesh.get().block(node, reason);
        return json ? Json.write(blocked) : "blocked " + NodeViews.blockedLine(blocked);
    }

    @Command(command = "unblock", description = "Lift a block: the node may connect and rejoin again.")
    public String unblock(@Option(required = true, description = "the node's name") String node,
                          @Option(longNames = "json", description = "print JSON") boolean json) {
        BlockedNode lifted = mesh.get().unblock(node);
        return json ? Json.write(lifted) : "unblocked " + lifted.name() + " (it may rejoin now)";
    }

    @Command(command = "blocked", description = "List the deny list.")
    public String blocked(@Option(longNames = "json", description = "print JSON") boolean json) {
        List<BlockedNode> blocked = mesh.get().blocked();
        return json ? Json.write(blocked) : NodeViews.blockedTable(blocked);
    }
}
