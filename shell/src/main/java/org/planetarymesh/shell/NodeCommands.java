package org.planetarymesh.shell;

import java.util.List;
import java.util.function.Supplier;
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
}
