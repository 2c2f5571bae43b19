package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Roles on real sockets (127.0.0.1), all certificates from ONE mesh CA: PKIX alone would let every one of them
 * in, so each refusal here is the role check's.
 */
class TlsRolesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestPki meshCa = TestPki.newCa("mesh-ca");
    private final TlsTestNet net = new TlsTestNet();

    @AfterEach
    void stopAll() {
        net.close();
    }

    @Test
    void when_aMemberHoldsAClientCertificate_then_theMemberEndpointRefusesItAndLogsWhy() throws Exception {
        HazelcastInstance coordinator = memberWithClientPort("coord-1", MeshRoles.COORDINATOR);
        long before = TlsRefusals.mark();

        // the intruder checks nothing itself, so only the coordinator's check can keep it out
        SSLContext intruder = meshCa.context("mallory", MeshRoles.CLIENT, null, null);
        try {
            HazelcastInstance joiner = TlsMembers.newMember(net.joiner(TlsTestNet.freePort(), TlsTestNet.memberPort(coordinator)), intruder);
            net.track(joiner);
            assertThat(joiner.getCluster().getMembers()).hasSize(1);
        } catch (IllegalStateException refusedAtStart) {
            assertThat(refusedAtStart).hasMessageContaining("Node failed to start");
        }

        assertThat(coordinator.getCluster().getMembers()).hasSize(1);
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + TlsTestNet.memberPort(coordinator))
                .contains("CN=mallory").contains("has the role client"));
    }

    @Test
    void when_aCoordinatorConnectsToAMemberHoldingAClientCertificate_then_theConnectingSideRefusesIt()
            throws Exception {
        // the seed checks nothing: only the joining coordinator's check of the server certificate applies
        HazelcastInstance impostor = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                meshCa.context("mallory", MeshRoles.CLIENT, null, null));
        net.track(impostor);
        long before = TlsRefusals.mark();

        SSLContext coordinator = meshCa.context("coord-1", MeshRoles.COORDINATOR, MeshRoles.MEMBERS, MeshRoles.MEMBERS);
        try {
            HazelcastInstance joiner = TlsMembers.newMember(net.joiner(TlsTestNet.freePort(), TlsTestNet.memberPort(impostor)), coordinator);
            net.track(joiner);
            assertThat(joiner.getCluster().getMembers()).hasSize(1);
        } catch (IllegalStateException refusedAtStart) {
            assertThat(refusedAtStart).hasMessageContaining("Node failed to start");
        }

        assertThat(impostor.getCluster().getMembers()).hasSize(1);
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection to").contains("server's certificate CN=mallory").contains("has the role client"));
    }

    @Test
    void when_aCoordinatorAndAnAgentMeet_then_theyFormACluster() throws Exception {
        HazelcastInstance coordinator = memberWithClientPort("coord-1", MeshRoles.COORDINATOR);
        SSLContext agentTls = meshCa.context("agent-1", MeshRoles.AGENT, MeshRoles.MEMBERS, MeshRoles.MEMBERS);
        HazelcastInstance agent = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), TlsTestNet.memberPort(coordinator)), agentTls);
        net.track(agent);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(coordinator.getCluster().getMembers()).hasSize(2);
            assertThat(agent.getCluster().getMembers()).hasSize(2);
        });
    }

    @Test
    void when_aClientCertificateConnectsToTheClientPortOfACoordinator_then_itWorks() throws Exception {
        HazelcastInstance coordinator = memberWithClientPort("coord-1", MeshRoles.COORDINATOR);
        SSLContext aliceTls = meshCa.context("alice", MeshRoles.CLIENT, null, Set.of(MeshRoles.COORDINATOR));

        HazelcastInstance client = net.client(aliceTls, clientPort(coordinator), 5_000);
        client.getMap("roles").put("k", "v");

        assertThat(coordinator.getMap("roles").get("k")).isEqualTo("v");
    }

    @Test
    void when_theServerPresentsAClientCertificate_then_theJavaClientRefusesIt() throws Exception {
        // the impostor accepts anyone: only the client's check of the server certificate applies
        HazelcastInstance impostor = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                meshCa.context("mallory", MeshRoles.CLIENT, null, null));
        net.track(impostor);
        SSLContext aliceTls = meshCa.context("alice", MeshRoles.CLIENT, null, Set.of(MeshRoles.COORDINATOR));
        long before = TlsRefusals.mark();

        assertThatThrownBy(() -> net.client(aliceTls, TlsTestNet.memberPort(impostor), 1_000)).hasMessageContaining("Unable to connect");
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection to").contains("server's certificate CN=mallory").contains("has the role client"));
    }

    @Test
    void when_onePortServesMembersAndClients_then_aClientCertificateConnectsAsAClientButCannotJoin() throws Exception {
        // as Members.start wires a node: the handshake takes any mesh role, the member protocol wants a member
        HazelcastInstance coordinator = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                meshCa.context("coord-1", MeshRoles.COORDINATOR, MeshRoles.ANY_MESH_ROLE, MeshRoles.MEMBERS),
                MeshRoles.MEMBERS);
        net.track(coordinator);
        SSLContext aliceTls = meshCa.context("alice", MeshRoles.CLIENT, null, Set.of(MeshRoles.COORDINATOR));
        net.client(aliceTls, TlsTestNet.memberPort(coordinator), 5_000).getMap("shared").put("k", "v");
        assertThat(coordinator.getMap("shared").get("k")).isEqualTo("v");
        long before = TlsRefusals.mark();

        SSLContext intruder = meshCa.context("mallory", MeshRoles.CLIENT, null, null);
        try {
            HazelcastInstance joiner = TlsMembers.newMember(net.joiner(TlsTestNet.freePort(), TlsTestNet.memberPort(coordinator)), intruder);
            net.track(joiner);
            assertThat(joiner.getCluster().getMembers()).hasSize(1);
        } catch (IllegalStateException refusedAtStart) {
            assertThat(refusedAtStart).hasMessageContaining("Node failed to start");
        }

        assertThat(coordinator.getCluster().getMembers()).hasSize(1);
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("member protocol refused")
                .contains("CN=mallory").contains("has the role client"));
    }

    @Test
    void when_onePortServesMembersAndClients_then_anAgentStillJoins() throws Exception {
        HazelcastInstance coordinator = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                meshCa.context("coord-1", MeshRoles.COORDINATOR, MeshRoles.ANY_MESH_ROLE, MeshRoles.MEMBERS),
                MeshRoles.MEMBERS);
        net.track(coordinator);
        HazelcastInstance agent = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), TlsTestNet.memberPort(coordinator)),
                meshCa.context("agent-1", MeshRoles.AGENT, MeshRoles.ANY_MESH_ROLE, MeshRoles.MEMBERS),
                MeshRoles.MEMBERS);
        net.track(agent);

        await().atMost(WAIT).untilAsserted(() -> assertThat(coordinator.getCluster().getMembers()).hasSize(2));
    }

    @Test
    void when_aClientCertificateSplitsTheMemberHeaderAcrossRecords_then_theConnectionIsRefused() throws Exception {
        HazelcastInstance coordinator = TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                meshCa.context("coord-1", MeshRoles.COORDINATOR, MeshRoles.ANY_MESH_ROLE, MeshRoles.MEMBERS),
                MeshRoles.MEMBERS);
        net.track(coordinator);
        long before = TlsRefusals.mark();
        SSLContext mallory = meshCa.context("mallory", MeshRoles.CLIENT, null, null);

        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) mallory.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), TlsTestNet.memberPort(coordinator))) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.startHandshake();
            var out = socket.getOutputStream();
            out.write('H'); // one TLS record per write: the member header arrives one byte at a time
            out.flush();
            out.write(new byte[] {'Z', 'C'});
            out.flush();
            // The member closes the connection: reading ends (EOF or reset) instead of timing out.
            org.assertj.core.api.Assertions.assertThatCode(() -> {
                try {
                    while (socket.getInputStream().read() != -1) {
                        // drain whatever arrives until the close
                    }
                } catch (java.net.SocketException closed) {
                    // reset by the refusing side
                }
            }).doesNotThrowAnyException();
        }

        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("first message shorter than a protocol header"));
        assertThat(coordinator.getCluster().getMembers()).hasSize(1);
    }

    // --- fixtures

    /** A member whose member endpoint accepts members only and whose client endpoint accepts any mesh role. */
    private HazelcastInstance memberWithClientPort(String name, String role) throws IOException {
        int memberPort = TlsTestNet.freePort();
        int clientPort = TlsTestNet.freePort();
        Config config = net.separateEndpointsConfig(memberPort, clientPort);
        TestPki.Leaf leaf = meshCa.leaf(name, role);
        X509Pair pair = new X509Pair(leaf);
        HazelcastInstance member = TlsMembers.newMember(config, pair.context(MeshRoles.MEMBERS, MeshRoles.MEMBERS),
                pair.context(MeshRoles.ANY_MESH_ROLE, null));
        net.track(member);
        return member;
    }

    /** One identity, several trust rules (one per endpoint). */
    private record X509Pair(TestPki.Leaf leaf) {
        SSLContext context(Set<String> acceptedClientRoles, Set<String> acceptedServerRoles) {
            return PemIdentity.sslContext(leaf.key(), leaf.certificate(), leaf.ca(), acceptedClientRoles,
                    acceptedServerRoles);
        }
    }

    private static int clientPort(HazelcastInstance member) {
        return member.getCluster().getLocalMember().getAddressMap().get(EndpointQualifier.CLIENT).getPort();
    }
}
