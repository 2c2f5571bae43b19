package org.planetarymesh.coordinator;

import com.hazelcast.core.HazelcastInstance;
import java.util.Optional;
import org.planetarymesh.enroll.EnrollmentService;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.security.MeshPeer;

/**
 * The names enrollment must not hand out, from {@code mesh.nodes}: a coordinator's name, always, and the name
 * of a node that is online now (a second agent under it would replace the first one's registry entry), and a
 * blocked name, which may neither enroll nor renew. An
 * offline agent's name is free: that is the same machine enrolling again after its identity was lost.
 */
final class MeshNodeNames implements EnrollmentService.NodeDirectory {
    private final HazelcastInstance hz;

    MeshNodeNames(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public Optional<String> whyNameIsTaken(String name) {
        Optional<String> blocked = whyBlocked(name);
        if (blocked.isPresent()) {
            return blocked;
        }
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

    /** A blocked node must not get a fresh certificate (a new fingerprint) by renewing or enrolling again. */
    @Override
    public Optional<String> whyRenewalIsRefused(MeshPeer peer) {
        return whyBlocked(peer.name());
    }

    private Optional<String> whyBlocked(String name) {
        try {
            BlockRecord block = hz.<String, BlockRecord>getMap(MeshObjects.BLOCKED).get(name);
            return block == null ? Optional.empty()
                    : Optional.of("node '" + name + "' is blocked by " + block.blockedBy() + ": " + block.reason());
        } catch (RuntimeException e) {
            return Optional.of("the mesh cannot check the deny list now (" + e.getMessage() + "): try again");
        }
    }
}
