package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * mTLS between real Hazelcast members and clients on real sockets (127.0.0.1). Each test fails if the TLS
 * layer is taken away: the cluster would form with the intruder, or plaintext would cross the wire.
 */
class TlsMeshTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestPki meshCa = TestPki.newCa("mesh-ca");
    private final TlsTestNet net = new TlsTestNet();
    private final List<AutoCloseable> relays = new ArrayList<>();

    @AfterEach
    void stopAll() {
        net.close();
        for (AutoCloseable relay : relays) {
            try {
                relay.close();
            } catch (Exception e) {
                // close the others anyway
            }
        }
    }

    @Test
    void when_twoMembersAndAClientUseTheMeshCa_then_theyFormAClusterAndShareAMap() throws Exception {
        HazelcastInstance first = tlsMember(meshCa.context("member-1"), TlsTestNet.freePort(), null);
        int firstPort = TlsTestNet.memberPort(first);
        Relay firstHop = relay(firstPort);
        HazelcastInstance second = tlsMember(meshCa.context("member-2"), TlsTestNet.freePort(), firstHop.port());

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(first.getCluster().getMembers()).hasSize(2);
            assertThat(second.getCluster().getMembers()).hasSize(2);
        });
        // the join went through the relay as TLS: a handshake record first, not Hazelcast's "HZC" header
        byte[] joinBytes = firstHop.sentToTarget();
        assertThat(joinBytes).isNotEmpty();
        assertThat(joinBytes[0]).as("TLS handshake record type").isEqualTo((byte) 0x16);
        assertThat(firstHop.allBytesAsText()).doesNotContain(net.clusterName());

        HazelcastInstance client = client(meshCa.context("client"), firstPort);
        IMap<String, String> map = client.getMap("tls");
        for (int i = 0; i < 200; i++) {
            map.put("k" + i, "v" + i);
        }
        IMap<String, String> seenBySecond = second.getMap("tls");
        assertThat(seenBySecond.size()).isEqualTo(200);
        assertThat(seenBySecond.get("k199")).isEqualTo("v199");
        assertThat(map.get("k0")).isEqualTo("v0");
    }

    @Test
    void when_aMemberCertificateComesFromAnotherCa_then_itCannotJoin() throws Exception {
        HazelcastInstance member = tlsMember(meshCa.context("member-1"), TlsTestNet.freePort(), null);
        TestPki otherCa = TestPki.newCa("other-ca");
        long before = TlsRefusals.mark();

        // the intruder trusts the mesh CA too, so it is the mesh member that must refuse it
        Config intruder = net.joiner(TlsTestNet.freePort(), TlsTestNet.memberPort(member));
        SSLContext intruderTls = otherCa.context("intruder", otherCa, meshCa);

        assertCannotJoin(member, () -> TlsMembers.newMember(intruder, intruderTls));
        await().atMost(WAIT).untilAsserted(() -> assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + TlsTestNet.memberPort(member))
                .contains("unable to find valid certification path")));
    }

    @Test
    void when_aPlaintextMemberTriesToJoin_then_itIsRefused() throws Exception {
        HazelcastInstance member = tlsMember(meshCa.context("member-1"), TlsTestNet.freePort(), null);
        long before = TlsRefusals.mark();

        Config plain = net.joiner(TlsTestNet.freePort(), TlsTestNet.memberPort(member));

        assertCannotJoin(member, () -> Hazelcast.newHazelcastInstance(plain));
        await().atMost(WAIT).untilAsserted(() -> assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + TlsTestNet.memberPort(member))
                .contains("plaintext connection?")));
    }

    @Test
    void when_aPlaintextClientConnects_then_itIsRefused() throws Exception {
        HazelcastInstance member = tlsMember(meshCa.context("member-1"), TlsTestNet.freePort(), null);
        long before = TlsRefusals.mark();

        assertThatThrownBy(() -> client(null, TlsTestNet.memberPort(member))).hasMessageContaining("Unable to connect");
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("plaintext connection?"));
    }

    @Test
    void when_aClientPutsAValueOverTls_then_theValueNeverCrossesTheWireInClear() throws Exception {
        String marker = "MARKER-" + UUID.randomUUID();
        HazelcastInstance member = tlsMember(meshCa.context("member-1"), TlsTestNet.freePort(), null);
        Relay wire = relay(TlsTestNet.memberPort(member));

        HazelcastInstance client = client(meshCa.context("client"), wire.port());
        client.getMap("wire").put("key", marker);

        assertThat(member.getMap("wire").get("key")).isEqualTo(marker);
        assertThat(client.getMap("wire").get("key")).isEqualTo(marker);
        assertThat(wire.sentToTarget()).isNotEmpty();
        assertThat(wire.sentToTarget()[0]).as("TLS handshake record, not the CP2 header").isEqualTo((byte) 0x16);
        assertThat(wire.allBytesAsText()).doesNotContain(marker);
    }

    @Test
    void when_tlsIsOff_then_theWireCheckSeesTheValue() throws Exception {
        String marker = "MARKER-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(net.memberConfig(TlsTestNet.freePort(), null));
        net.track(member);
        Relay wire = relay(TlsTestNet.memberPort(member));

        HazelcastInstance client = client(null, wire.port());
        client.getMap("wire").put("key", marker);

        await().atMost(WAIT).untilAsserted(() -> assertThat(wire.allBytesAsText()).contains(marker));
    }

    @Test
    void when_memberAndClientPortsTrustDifferentCas_then_aClientCertificateWorksOnlyOnTheClientPort() throws Exception {
        TestPki clientCa = TestPki.newCa("client-ca");
        int memberPort = TlsTestNet.freePort();
        int clientPort = TlsTestNet.freePort();
        Config config = net.separateEndpointsConfig(memberPort, clientPort);
        // member port: mesh CA only; client port: the member's identity, trusting client certificates only
        HazelcastInstance member = TlsMembers.newMember(config, meshCa.context("member-1"),
                meshCa.context("member-1-clients", clientCa));
        net.track(member);
        SSLContext clientTls = clientCa.context("client", meshCa);

        HazelcastInstance client = client(clientTls, clientPort);
        client.getMap("ports").put("k", "v");
        assertThat(member.getMap("ports").get("k")).isEqualTo("v");

        long before = TlsRefusals.mark();
        assertThatThrownBy(() -> net.client(clientTls, memberPort, 1_000)).hasMessageContaining("Unable to connect");
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + memberPort)
                .contains("unable to find valid certification path"));
    }

    @Test
    void when_aPeerConnectsAndStalls_then_theHandshakeTimesOutAndTheSocketIsClosed() throws Exception {
        Config config = net.memberConfig(TlsTestNet.freePort(), null);
        HazelcastInstance member = TlsMembers.newMember(config, meshCa.context("member-1"), Duration.ofMillis(500));
        net.track(member);
        long before = TlsRefusals.mark();

        try (Socket stalling = new Socket(InetAddress.getLoopbackAddress(), TlsTestNet.memberPort(member))) {
            stalling.setSoTimeout((int) WAIT.toMillis());
            long start = System.nanoTime();
            stalling.getOutputStream().write(0x16); // a TLS handshake record starts, and nothing follows
            assertThat(stalling.getInputStream().read()).as("closed by the member").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line).contains("not done within the timeout"));
    }

    // --- fixtures

    /**
     * Starts a member that tries to join {@code member}: depending on how fast it is refused, it either gives
     * up starting or starts alone; either way neither cluster grows.
     */
    private void assertCannotJoin(HazelcastInstance member, Callable<HazelcastInstance> start) throws Exception {
        try {
            HazelcastInstance joiner = start.call();
            net.track(joiner);
            assertThat(joiner.getCluster().getMembers()).hasSize(1);
        } catch (IllegalStateException refusedAtStart) {
            assertThat(refusedAtStart).hasMessageContaining("Node failed to start");
        }
        assertThat(member.getCluster().getMembers()).hasSize(1);
    }

    private HazelcastInstance tlsMember(SSLContext context, int port, Integer seedPort) {
        HazelcastInstance member = TlsMembers.newMember(net.memberConfig(port, seedPort), context);
        net.track(member);
        return member;
    }

    private HazelcastInstance client(SSLContext context, int port) {
        return net.client(context, port, context == null ? 1_000 : 5_000);
    }

    private Relay relay(int target) throws IOException {
        Relay relay = new Relay(target);
        relays.add(relay);
        return relay;
    }
}
