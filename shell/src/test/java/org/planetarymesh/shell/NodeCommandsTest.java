package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.shell.CommandRun.row;
import static org.planetarymesh.shell.Fixtures.aNode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.Protection;

class NodeCommandsTest {
    private final FakeMesh mesh = new FakeMesh();
    private final CommandRun run = new CommandRun();
    private final NodeCommands commands = new NodeCommands(() -> mesh);

    @BeforeEach
    void twoNodes() {
        mesh.addNode(aNode("coord-1").coordinator().build())
                .addNode(aNode("lab-pc-7").running(3).labels("gpu", "cuda12")
                        .protecting(Protection.NO_NETWORK, Protection.MEMORY_LIMIT, Protection.PID_ISOLATION).build())
                .addNode(aNode("desk-2").unavailable("paused by its owner").build())
                .addNode(aNode("old-laptop").offline().build());
    }

    @Test
    void when_nodesAreListed_then_eachNodeIsARowWithHumanUnits() {
        run.exitCodeOf(() -> commands.nodes(false));

        assertThat(run.outLines().get(0).split("\\s{2,}")).containsExactly("NAME", "ROLE", "STATE", "AVAILABLE",
                "ADDRESS", "SLOTS", "RUNNING", "CORES", "MEMORY", "OS/ARCH", "LABELS", "PROTECTIONS", "LATENCY");
        assertThat(row(run.out(), "lab-pc-7")).containsExactly("lab-pc-7", "agent", "healthy", "yes",
                "lab-pc-7.lan:5701", "4", "3", "8", "16 GiB", "Linux/amd64", "cuda12,gpu", "mem,no-net,pid", "0.42 ms");
        assertThat(row(run.out(), "desk-2")).contains("paused by its owner");
        assertThat(row(run.out(), "coord-1")).contains("coordinator", "-");
        assertThat(row(run.out(), "old-laptop")).contains("offline");
    }

    @Test
    void when_nodesAreListedAsJson_then_theOutputParsesBackWithEveryField() throws IOException {
        run.exitCodeOf(() -> commands.nodes(true));

        JsonNode nodes = Json.MAPPER.readTree(run.out());
        assertThat(nodes).hasSize(4);
        JsonNode pc = nodes.get(1);
        assertThat(pc.get("name").asText()).isEqualTo("lab-pc-7");
        assertThat(pc.get("memoryBytes").asLong()).isEqualTo(16L * 1024 * 1024 * 1024);
        assertThat(pc.get("labels")).hasSize(2);
        assertThat(pc.get("lastSeen").asText()).isEqualTo("2026-11-26T10:01:00Z");
        assertThat(pc.get("state").asText()).isEqualTo("HEALTHY");
        assertThat(pc.get("protections")).hasSize(3);
        assertThat(pc.get("unavailableReason").asText()).isEmpty();
    }

    @Test
    void when_aNodeIsBlocked_then_theDenyListShowsItWithReasonAndUnblockLiftsIt() {
        assertThat(run.exitCodeOf(() -> commands.block("lab-pc-7", "stolen laptop", false))).isZero();
        assertThat(run.out()).contains("blocked lab-pc-7", "stolen laptop");

        run.exitCodeOf(() -> commands.blocked(false));
        assertThat(row(run.out(), "lab-pc-7")).contains("tester", "stolen laptop");

        assertThat(run.exitCodeOf(() -> commands.unblock("lab-pc-7", false))).isZero();
        assertThat(commands.blocked(false)).isEqualTo("no blocked nodes");
    }

    @Test
    void when_anUnknownNodeIsBlocked_then_theErrorNamesItAndNothingIsBlocked() {
        assertThat(run.exitCodeOf(() -> commands.block("no-such-node", "", false))).isEqualTo(ExitCode.MESH_ERROR.code());
        assertThat(run.err()).contains("unknown node 'no-such-node'");
        assertThat(mesh.blocked()).isEmpty();
    }

    @Test
    void when_aNodeThatIsNotBlockedIsUnblocked_then_theErrorSaysSo() {
        assertThat(run.exitCodeOf(() -> commands.unblock("coord-1", false))).isEqualTo(ExitCode.MESH_ERROR.code());
        assertThat(run.err()).contains("'coord-1' is not blocked");
    }

    @Test
    void when_theMeshHasNoNode_then_theListSaysSo() {
        assertThat(new NodeCommands(FakeMesh::new).nodes(false)).isEqualTo("no nodes");
    }
}
