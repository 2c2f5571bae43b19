package org.planetarymesh.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.NOW;
import static org.planetarymesh.jobs.RecordFixtures.aNode;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.testing.OneCoordinator;

class NodeRegistryTest {
    @RegisterExtension
    static final OneCoordinator COORDINATOR = new OneCoordinator();

    private IMap<String, NodeRecord> nodes;
    private NodeRecord registered;

    @BeforeEach
    void registerANode() {
        nodes = COORDINATOR.member().getMap(MeshObjects.NODES);
        registered = aNode("agent-9").build();
        nodes.set(registered.name(), registered);
    }

    @Test
    void when_theMemberThatLeftStillOwnsTheEntry_then_theNodeIsMarkedOffline() {
        boolean marked = nodes.executeOnKey("agent-9", new NodeRegistry.MarkOffline(registered.memberUuid(), NOW + 5));

        assertThat(marked).isTrue();
        assertThat(nodes.get("agent-9").online()).isFalse();
        assertThat(nodes.get("agent-9").lastSeen()).isEqualTo(NOW + 5);
    }

    @Test
    void when_theNodeReRegisteredAsANewMember_then_theOldMembersDepartureLeavesItOnline() {
        boolean marked = nodes.executeOnKey("agent-9", new NodeRegistry.MarkOffline("uuid-of-an-earlier-run", NOW + 5));

        assertThat(marked).isFalse();
        assertThat(nodes.get("agent-9")).isEqualTo(registered);
    }

    @Test
    void when_aHeartbeatArrives_then_loadAndLatencyAreRecordedAndTheNodeIsOnline() {
        nodes.executeOnKey("agent-9", new NodeRegistry.MarkOffline(registered.memberUuid(), NOW + 1));

        nodes.executeOnKey("agent-9", new NodeRegistry.Heartbeat(3, 420, NOW + 2));

        NodeRecord now = nodes.get("agent-9");
        assertThat(now.online()).isTrue();
        assertThat(now.runningTasks()).isEqualTo(3);
        assertThat(now.latencyMicros()).isEqualTo(420);
        assertThat(now.lastSeen()).isEqualTo(NOW + 2);
    }
}
