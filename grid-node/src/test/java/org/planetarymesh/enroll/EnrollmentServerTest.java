package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.IssuedCertificate;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.MeshPeer;
import org.planetarymesh.security.MeshTrust;
import org.planetarymesh.security.SigningRequests;
import org.planetarymesh.submitter.MeshException;

/** The enrollment endpoint and its client on real sockets (127.0.0.1, a free port), with a real mesh CA. */
class EnrollmentServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private MeshCa ca;
    private TokenStore tokens;
    private EnrollmentService service;
    private EnrollmentServer server;
    private Endpoint endpoint;
    private final EnrollmentClient client = new EnrollmentClient(Clock.systemUTC(), TIMEOUT);

    @BeforeEach
    void coordinator() {
        ca = MeshCa.init(dir.resolve("ca"), "lab", Clock.systemUTC());
        tokens = new TokenStore(dir.resolve("ca"));
        MeshIdentity coordinator = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).identity();
        service = new EnrollmentService(ca, tokens,
                name -> name.equals("coord-1") ? Optional.of("a coordinator named coord-1 is in this mesh")
                        : Optional.empty(),
                Clock.systemUTC(), CertRequest.DEFAULT_VALIDITY);
        server = EnrollmentServer.start(InetAddress.getLoopbackAddress(), 0,
                coordinator.sslContext(coordinator.reloadableKeyManager(), null, null), service);
        endpoint = new Endpoint("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JoinToken token(int uses) {
        return tokens.create(Duration.ofHours(1), uses, ca.fingerprint(), Instant.now());
    }

    private int usesLeft(JoinToken token) {
        return tokens.list().stream().filter(t -> t.id().equals(token.id())).findFirst().orElseThrow().usesLeft();
    }

    @Test
    void when_aValidTokenIsUsed_then_theNodeGetsAnAgentCertificateForItsNameThatChainsToTheMeshCa() throws Exception {
        JoinToken token = token(1);

        long started = System.nanoTime();
        IssuedCertificate issued = client.enroll(endpoint, token, "laptop-1");
        long millis = (System.nanoTime() - started) / 1_000_000;

        MeshPeer peer = MeshPeer.of(issued.certificate());
        assertThat(peer.name()).isEqualTo("laptop-1");
        assertThat(peer.role()).isEqualTo(CertificateRole.AGENT);
        assertThat(issued.caCertificate()).isEqualTo(ca.certificate());
        MeshTrust.validate(issued.certificate(), ca.certificate(), Instant.now());
        assertThat(issued.certificate().getNotAfter().toInstant())
                .isAfter(Instant.now().plus(CertRequest.DEFAULT_VALIDITY).minus(Duration.ofMinutes(1)));
        issued.writeTo(dir.resolve("laptop-1"));
        assertThat(MeshIdentity.load(dir.resolve("laptop-1")).name()).isEqualTo("laptop-1");
        assertThat(usesLeft(token)).isZero();
        System.out.printf("enrollment round trip (first, cold JVM): %d ms%n", millis);
    }

    @Test
    void when_aSingleUseTokenIsUsedTwice_then_theSecondNodeIsToldItIsUsedUp() {
        JoinToken token = token(1);
        client.enroll(endpoint, token, "laptop-1");

        assertThatThrownBy(() -> client.enroll(endpoint, token, "laptop-2"))
                .isInstanceOf(MeshException.class)
                .hasMessage("the coordinator at " + endpoint + " refused to enroll 'laptop-2': join token " + token.id()
                        + " is used up (1 of 1 use spent): ask the mesh admin for a new one ('bin/mesh token create')");
    }

    @Test
    void when_theTokenHasExpired_then_theNodeIsToldWhen() {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        JoinToken token = tokens.create(Duration.ofHours(1), 1, ca.fingerprint(), twoHoursAgo);

        assertThatThrownBy(() -> client.enroll(endpoint, token, "laptop-1"))
                .hasMessageStartingWith("the coordinator at " + endpoint + " refused to enroll 'laptop-1': join token "
                        + token.id() + " expired at " + twoHoursAgo.plus(Duration.ofHours(1)));
    }

    @Test
    void when_theTokenNamesAnotherCa_then_theNodeRefusesTheServerBeforeSendingTheSecret() {
        JoinToken real = token(1);
        String otherCa = MeshCa.init(dir.resolve("other"), "other", Clock.systemUTC()).fingerprint();
        JoinToken forAnotherMesh = new JoinToken(real.id(), real.secret(), otherCa);

        assertThatThrownBy(() -> client.enroll(endpoint, forAnotherMesh, "laptop-1"))
                .isInstanceOf(MeshException.class)
                .hasMessageStartingWith("the coordinator at " + endpoint + " presents CA " + ca.fingerprint()
                        + " but the token expects " + otherCa);
        assertThat(server.requestsRead()).isZero();
        assertThat(usesLeft(real)).isEqualTo(1);
    }

    @Test
    void when_theNameIsACoordinators_then_enrollmentIsRefusedAndTheTokenKept() {
        JoinToken token = token(1);

        assertThatThrownBy(() -> client.enroll(endpoint, token, "coord-1"))
                .hasMessageEndingWith("refused to enroll 'coord-1': a coordinator named coord-1 is in this mesh");
        assertThat(usesLeft(token)).isEqualTo(1);
    }

    @Test
    void when_theNameIsInvalid_then_enrollmentSaysWhichNamesWork() {
        assertThatThrownBy(() -> client.enroll(endpoint, token(1), "-bad name"))
                .hasMessageContaining("invalid node name '-bad name'");
    }

    @Test
    void when_anEnrolledAgentRenews_then_itGetsANewCertificateWithTheSameNameAndRole() throws Exception {
        MeshIdentity agent = client.enroll(endpoint, token(1), "laptop-1").identity();
        KeyPair next = SigningRequests.newKeyPair();

        X509Certificate renewed = client.renew(endpoint, agent, next, SigningRequests.create("ignored", next));

        assertThat(MeshPeer.of(renewed).name()).isEqualTo("laptop-1");
        assertThat(MeshPeer.of(renewed).role()).isEqualTo(CertificateRole.AGENT);
        assertThat(renewed.getSerialNumber()).isNotEqualTo(agent.certificate().getSerialNumber());
        assertThat(renewed.getPublicKey().getEncoded()).isEqualTo(next.getPublic().getEncoded());
        MeshTrust.validate(renewed, ca.certificate(), Instant.now());
    }

    @Test
    void when_renewalComesWithoutAClientCertificate_then_itIsRefused() throws Exception {
        KeyPair keys = SigningRequests.newKeyPair();
        String csr = org.planetarymesh.security.PemText.of(SigningRequests.create("laptop-1", keys));

        EnrollmentResponse response = raw(EnrollmentWire.JSON.writeValueAsString(EnrollmentRequest.renew(csr)));

        assertThat(response.certificate()).isNull();
        assertThat(response.error()).startsWith("renewal needs this node's current certificate as TLS client"
                + " certificate");
    }

    @Test
    void when_aRequestIsLargerThan64KiB_then_itIsRefusedWithoutBeingParsed() throws Exception {
        EnrollmentResponse response = raw("{\"type\":\"enroll\",\"csr\":\"" + "A".repeat(70 * 1024) + "\"}");

        assertThat(response.error()).isEqualTo("request larger than 64 KiB");
    }

    @Test
    void when_aPeerConnectsAndStalls_then_theEndpointClosesItAtTheDeadlineNotAtTheReadTimeout() throws Exception {
        MeshIdentity coordinator = ca.issue(CertRequest.of("coord-2", CertificateRole.COORDINATOR)).identity();
        try (EnrollmentServer strict = EnrollmentServer.start(InetAddress.getLoopbackAddress(), 0,
                coordinator.sslContext(coordinator.reloadableKeyManager(), null, null), service,
                Duration.ofMillis(300));
                Socket stalled = new Socket(InetAddress.getLoopbackAddress(), strict.port())) {
            stalled.setSoTimeout((int) (EnrollmentServer.READ_TIMEOUT.toMillis() / 2));

            // At most a TLS alert, then the end of the stream: a read timeout here would mean the peer holds a worker.
            assertThat(stalled.getInputStream().readAllBytes()).hasSizeLessThan(64);
        }
    }

    @Test
    void when_nothingListensAtTheEndpoint_then_theNodeIsToldItCannotReachIt() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Endpoint nowhere = new Endpoint("127.0.0.1", closedPort);

        assertThatThrownBy(() -> client.enroll(nowhere, token(1), "laptop-1"))
                .hasMessageStartingWith("cannot reach the enrollment endpoint at " + nowhere);
    }

    /** One line to the endpoint without a client certificate, the server pinned by the CA; the answer. */
    private EnrollmentResponse raw(String line) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null,
                new TrustManager[] {new CaPinningTrustManager(ca.fingerprint(), endpoint, Clock.systemUTC())}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return EnrollmentWire.JSON.readValue(
                    EnrollmentWire.readLine(socket.getInputStream(), EnrollmentWire.deadline(TIMEOUT)),
                    EnrollmentResponse.class);
        }
    }
}
