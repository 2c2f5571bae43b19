package org.planetarymesh.coordinator;

import com.hazelcast.core.HazelcastInstance;
import java.util.Optional;
import org.planetarymesh.enroll.EnrollmentService;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;

/**
 * The names enrollment must not hand out, from {@code mesh.nodes}: a coordinator's name, always, and the name
 * of a node that is online now (a second agent under it would replace the first one's registry entry). An
 * offline agent's name is free: that is the same machine enrolling again after its identity was lost.
 */
final class MeshNodeNames implements EnrollmentService.NodeDirectory {
    private final HazelcastInstance hz;

    MeshNodeNames(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public Optional<String> whyNameIsTaken(String name) {
        NodeRecord node;
        try {
            node = hz.<String, NodeRecord>getMap(MeshObjects.NODES).get(name);
        } catch (RuntimeException e) {
            return Optional.of("the mesh cannot check the name '" + name + "' now (" + e.getMessage() + "): try again");
        }
        if (node == null) {
            return Optional.empty();
        }
        if (NodeRecord.COORDINATOR.equals(node.role())) {
            return Optional.of("the name '" + name + "' belongs to a coordinator of this mesh: choose another --name");
        }
        if (node.online()) {
            return Optional.of("a node named '" + name + "' is online in this mesh: choose another --name, or stop"
                    + " that node first");
        }
        return Optional.empty();
    }
}
