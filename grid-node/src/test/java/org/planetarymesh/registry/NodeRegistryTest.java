package org.planetarymesh.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.NOW;
import static org.planetarymesh.jobs.RecordFixtures.aNode;

import com.hazelcast.map.IMap;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.submitter.NodeState;
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
    void when_theLeaderJudgesTheMemberThatStillOwnsTheEntry_then_theStateIsItsVerdict() {
        boolean marked = nodes.executeOnKey("agent-9",
                new NodeRegistry.SetState(registered.memberUuid(), NodeState.OFFLINE));

        assertThat(marked).isTrue();
        assertThat(nodes.get("agent-9").state()).isEqualTo(NodeState.OFFLINE);
        assertThat(nodes.get("agent-9").online()).isFalse();
    }

    @Test
    void when_theNodeReRegisteredAsANewMember_then_theOldMembersDepartureLeavesItOnline() {
        boolean marked = nodes.executeOnKey("agent-9",
                new NodeRegistry.SetState("uuid-of-an-earlier-run", NodeState.OFFLINE));

        assertThat(marked).isFalse();
        assertThat(nodes.get("agent-9")).isEqualTo(registered);
    }

    @Test
    void when_aHeartbeatArrives_then_loadAndLatencyAreRecordedAndTheStateIsLeftToTheLeader() {
        nodes.executeOnKey("agent-9", new NodeRegistry.SetState(registered.memberUuid(), NodeState.SUSPECT));

        nodes.executeOnKey("agent-9", new NodeRegistry.Heartbeat(List.of("j-1/0@1", "j-1/1@1", "j-1/2@1"), "", 420, 0.5, 1L << 30, NOW + 2));

        NodeRecord now = nodes.get("agent-9");
        assertThat(now.state()).isEqualTo(NodeState.SUSPECT);
        assertThat(now.loadAverage()).isEqualTo(0.5);
        assertThat(now.freeMemoryBytes()).isEqualTo(1L << 30);
        assertThat(now.runningTasks()).isEqualTo(3);
        assertThat(now.latencyMicros()).isEqualTo(420);
        assertThat(now.lastSeen()).isEqualTo(NOW + 2);
    }
}
