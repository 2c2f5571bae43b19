package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;

/**
 * Certificates outside their validity on real sockets (127.0.0.1): the mesh CA issues them with a clock set in the
 * past or the future, and everything else about them is right (same CA, a member or client role). PKIX is the only
 * thing that can keep them out, so each refusal here is the validity check's. Nodes are wired as
 * {@code Members.start} wires them: one port for members and clients.
 */
class TlsExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * How long a refused client keeps trying (ms): about three connections. A single refusal line can lack its reason
     * (see {@link TlsRefusalReasonTest}), so the tests look for it among a few.
     */
    private static final long CLIENT_TRIES = 2_000;
    private static final EnumSet<CertificateRole> MEMBER_ROLES = EnumSet.of(CertificateRole.COORDINATOR, CertificateRole.AGENT);

    /**
     * When a certificate is issued, relative to now, and for how long. The JDK reports both faults alike ("validity
     * check failed"); which bound was crossed is only in the exception's cause, which the refusal line leaves out.
     */
    enum Validity {
        /** Issued 100 days ago for 90 days: expired 10 days ago. */
        EXPIRED(Duration.ofDays(-100), Duration.ofDays(90)),
        /** Issued "in" 10 days: valid from then on, not now. */
        NOT_YET_VALID(Duration.ofDays(10), Duration.ofDays(90)),
        /** The control: issued now. */
        CURRENT(Duration.ZERO, Duration.ofDays(90));

        final Duration issuedIn;
        final Duration lifetime;

        Validity(Duration issuedIn, Duration lifetime) {
            this.issuedIn = issuedIn;
            this.lifetime = lifetime;
        }
    }

    @TempDir
    Path dir;

    private final TlsTestNet net = new TlsTestNet();
    private MeshCa ca;
    private HazelcastInstance coordinator;

    @BeforeEach
    void startCoordinator() {
        // the CA itself was created a year ago, so it is valid at every moment a certificate below is issued
        Instant now = Instant.now();
        ca = MeshCa.init(dir.resolve("ca"), "expiry", Clock.fixed(now.minus(Duration.ofDays(365)), ZoneOffset.UTC))
                .withClock(Clock.systemUTC());
        coordinator = member(identity("coord-1", CertificateRole.COORDINATOR, Validity.CURRENT), null);
    }

    @AfterEach
    void stopAll() {
        net.close();
    }

    @ParameterizedTest
    @EnumSource(value = Validity.class, names = {"EXPIRED", "NOT_YET_VALID"})
    void when_aMemberCertificateIsOutsideItsValidity_then_theMemberCannotJoinAndTheRefusalIsLoggedWithItsReason(
            Validity validity) throws Exception {
        MeshIdentity agent = identity("agent-1", CertificateRole.AGENT, validity);
        long before = TlsRefusals.mark();

        assertCannotJoin(() -> member(agent, TlsTestNet.memberPort(coordinator)));

        assertThat(coordinator.getCluster().getMembers()).hasSize(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + TlsTestNet.memberPort(coordinator))
                .contains("TLS handshake failed").contains("validity check failed")));
    }

    @ParameterizedTest
    @EnumSource(value = Validity.class, names = {"EXPIRED", "NOT_YET_VALID"})
    void when_aClientCertificateIsOutsideItsValidity_then_theClientCannotConnectAndTheRefusalIsLoggedWithItsReason(
            Validity validity) {
        SSLContext client = clientTls(identity("alice", CertificateRole.CLIENT, validity));
        long before = TlsRefusals.mark();

        assertThatThrownBy(() -> net.client(client, TlsTestNet.memberPort(coordinator), CLIENT_TRIES))
                .hasMessageContaining("Unable to connect");

        assertThat(coordinator.getClientService().getConnectedClients()).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection from").contains("at /127.0.0.1:" + TlsTestNet.memberPort(coordinator))
                .contains("TLS handshake failed").contains("validity check failed")));
    }

    @ParameterizedTest
    @EnumSource(value = Validity.class, names = {"EXPIRED", "NOT_YET_VALID"})
    void when_theMemberAClientConnectsToIsOutsideItsValidity_then_theClientRefusesIt(Validity validity) {
        HazelcastInstance stale = member(identity("coord-2", CertificateRole.COORDINATOR, validity), null);
        SSLContext client = clientTls(identity("alice", CertificateRole.CLIENT, Validity.CURRENT));
        long before = TlsRefusals.mark();

        assertThatThrownBy(() -> net.client(client, TlsTestNet.memberPort(stale), CLIENT_TRIES))
                .hasMessageContaining("Unable to connect");

        assertThat(TlsTestNet.refusalsSince(before)).anySatisfy(line -> assertThat(line)
                .contains("connection to").contains("validity check failed"));
    }

    @Test
    void when_theCertificatesAreCurrent_then_theSameJoinerJoinsAndTheSameClientConnects() throws Exception {
        // the control: with the same fast-giving-up joiner config, only the validity differs from the tests above
        HazelcastInstance agent = member(identity("agent-1", CertificateRole.AGENT, Validity.CURRENT),
                TlsTestNet.memberPort(coordinator));
        HazelcastInstance client = net.client(clientTls(identity("alice", CertificateRole.CLIENT, Validity.CURRENT)),
                TlsTestNet.memberPort(coordinator), 5_000);

        await().atMost(WAIT).untilAsserted(() -> assertThat(coordinator.getCluster().getMembers()).hasSize(2));
        assertThat(agent.getCluster().getMembers()).hasSize(2);
        client.getMap("expiry").put("k", "v");
        assertThat(coordinator.getMap("expiry").get("k")).isEqualTo("v");
    }

    // --- fixtures

    private MeshIdentity identity(String name, CertificateRole role, Validity validity) {
        MeshCa issuer = ca.withClock(Clock.fixed(Instant.now().plus(validity.issuedIn), ZoneOffset.UTC));
        return issuer.issue(CertRequest.of(name, role).withValidity(validity.lifetime)).identity();
    }

    /** A member on a free port, wired as {@code Members.start} does; it joins {@code seedPort} (a lone member if null). */
    private HazelcastInstance member(MeshIdentity identity, Integer seedPort) {
        int port = TlsTestNet.freePort();
        var config = seedPort == null ? net.memberConfig(port, null) : net.joiner(port, seedPort);
        SSLContext context = identity.sslContext(EnumSet.allOf(CertificateRole.class), MEMBER_ROLES);
        return net.track(TlsMembers.newMember(config, context, MeshRoles.MEMBERS));
    }

    /** As {@code MeshClientOptions.withTls}: the server must be a member; the client is checked by the server. */
    private static SSLContext clientTls(MeshIdentity identity) {
        return identity.sslContext(null, MEMBER_ROLES);
    }

    private void assertCannotJoin(Callable<HazelcastInstance> start) throws Exception {
        try {
            HazelcastInstance joiner = start.call();
            assertThat(joiner.getCluster().getMembers()).hasSize(1);
        } catch (IllegalStateException refusedAtStart) {
            assertThat(refusedAtStart).hasMessageContaining("Node failed to start");
        }
    }
}
