package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The line a refusal logs must say why. Found while writing {@link TlsExpiryTest}: when a peer's certificate fails
 * the check, the engine's failure reaches whichever handler touches the engine first, and the other handler then
 * finds the engine closed. {@code TlsSession.refuse} keeps only the first refusal of a channel, so when the second
 * handler gets there first with "TLS session closed" (outbound wrap) or "peer closed the TLS session" (inbound
 * unwrap), that is the line logged and the handshake failure was lost (2 of 40 refusals here, on a busy 2-core
 * machine). The trust manager now records the reason per engine, and every refusal line carries it.
 */
class TlsRefusalReasonTest {

    private static final int ATTEMPTS = 40;

    private final TestPki meshCa = TestPki.newCa("mesh-ca");
    private final TlsTestNet net = new TlsTestNet();

    @AfterEach
    void stopAll() {
        net.close();
    }

    @Test
    void when_manyForeignCertificatesAreRefused_then_everyRefusalLineCarriesTheHandshakeFailure() throws Exception {
        HazelcastInstance member = net.track(TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                // as production builds it: PKIX, then role and deny list, in our trust manager
                meshCa.context("member-1", MeshRoles.COORDINATOR, MeshRoles.ANY_MESH_ROLE, MeshRoles.MEMBERS)));
        int port = TlsTestNet.memberPort(member);
        TestPki otherCa = TestPki.newCa("other-ca");
        SSLContext intruder = otherCa.context("intruder", otherCa, meshCa);
        long before = TlsRefusals.mark();

        for (int i = 0; i < ATTEMPTS; i++) {
            try (SSLSocket socket = (SSLSocket) intruder.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake(); // TLS 1.3: our side may finish before the member checks our certificate
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (IOException refused) {
                // closed or reset by the member: expected
            }
        }

        String at = "at /127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                // at least one line per intruder: a line of another test's late connection to a reused port may
                // come too, and must carry its reason as well
                assertThat(TlsTestNet.refusalsSince(before)).filteredOn(line -> line.contains(at))
                        .hasSizeGreaterThanOrEqualTo(ATTEMPTS));
        List<String> lines = TlsTestNet.refusalsSince(before).stream().filter(line -> line.contains(at)).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("unable to find valid certification path"));
    }
}
