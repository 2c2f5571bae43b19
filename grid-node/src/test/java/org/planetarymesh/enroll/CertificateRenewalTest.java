package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.MeshPeer;
import org.planetarymesh.submitter.MeshException;

/** A node renews when a third of its certificate's lifetime is left, writes the new pair and swaps it in. */
class CertificateRenewalTest {
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private MeshCa ca;
    private Path node;
    private MeshIdentity original;

    @BeforeEach
    void agentWith90DayCertificate() {
        ca = MeshCa.init(dir.resolve("ca"), "lab", Clock.fixed(ISSUED.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        node = dir.resolve("agent-1");
        ca.withClock(Clock.fixed(ISSUED, ZoneOffset.UTC)).issue(CertRequest.of("agent-1", CertificateRole.AGENT))
                .writeTo(node);
        original = MeshIdentity.load(node);
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private CertificateRenewal.Signer localCa(Instant now) {
        return CertificateRenewal.localCa(ca.withClock(at(now)), CertRequest.DEFAULT_VALIDITY);
    }

    @Test
    void when_lessThanAThirdOfTheLifetimeIsLeft_then_renewalIsDue() {
        // 90 days plus the 5 minutes of clock skew before issue: due 30 days and 100 s before the end.
        Instant due = RenewalPolicy.dueAt(original.certificate());

        assertThat(due).isEqualTo(original.certificate().getNotAfter().toInstant()
                .minus(Duration.ofDays(30)).minus(Duration.ofSeconds(100)));
        assertThat(RenewalPolicy.isDue(original.certificate(), due.minusSeconds(1))).isFalse();
        assertThat(RenewalPolicy.isDue(original.certificate(), due)).isTrue();
    }

    @Test
    void when_theCertificateIsDueAtStart_then_aNewPairIsWrittenAndPresentedWithTheSameNameAndRole() {
        Instant day61 = ISSUED.plus(Duration.ofDays(61));

        CertificateRenewal renewal = CertificateRenewal.prepare(node, localCa(day61), at(day61));

        MeshIdentity renewed = MeshIdentity.load(node);
        assertThat(renewed.certificate()).isNotEqualTo(original.certificate());
        assertThat(renewed.peer().name()).isEqualTo("agent-1");
        assertThat(renewed.role()).isEqualTo(CertificateRole.AGENT);
        assertThat(renewed.certificate().getNotAfter().toInstant()).isAfter(day61.plus(Duration.ofDays(89)));
        assertThat(renewal.keys().certificate()).isEqualTo(renewed.certificate());
        assertThat(renewal.renewIfDue()).isFalse();
    }

    @Test
    void when_aCoordinatorRenewsWithTheCaItHolds_then_itsNameRoleAndAddressNamesAreKept() throws Exception {
        Path coordinator = dir.resolve("coord-1");
        ca.withClock(at(ISSUED)).issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)
                .withSans(List.of("10.0.0.5", "coord-1.lan"))).writeTo(coordinator);
        Instant day61 = ISSUED.plus(Duration.ofDays(61));

        CertificateRenewal.prepare(coordinator, localCa(day61), at(day61));

        MeshIdentity renewed = MeshIdentity.load(coordinator);
        assertThat(renewed.certificate().getNotBefore().toInstant()).isAfter(ISSUED);
        assertThat(renewed.peer().name()).isEqualTo("coord-1");
        assertThat(renewed.role()).isEqualTo(CertificateRole.COORDINATOR);
        assertThat(renewed.certificate().getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .contains("10.0.0.5", "coord-1.lan");
    }

    @Test
    void when_theCertificateIsNotDue_then_nothingChanges() {
        Instant day59 = ISSUED.plus(Duration.ofDays(59));

        CertificateRenewal renewal = CertificateRenewal.prepare(node, localCa(day59), at(day59));

        assertThat(renewal.renewIfDue()).isFalse();
        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(original.certificate());
        assertThat(renewal.keys().certificate()).isEqualTo(original.certificate());
    }

    @Test
    void when_theSignerFails_then_theNodeKeepsItsCertificateAndTriesAgainLater() {
        Instant day61 = ISSUED.plus(Duration.ofDays(61));
        CertificateRenewal.Signer failing = new CertificateRenewal.Signer() {
            @Override
            public X509Certificate sign(MeshIdentity current, KeyPair keys, PKCS10CertificationRequest csr) {
                throw new MeshException("cannot reach the enrollment endpoint at 127.0.0.1:1");
            }

            @Override
            public String describe() {
                return "nowhere";
            }
        };

        CertificateRenewal renewal = CertificateRenewal.prepare(node, failing, at(day61));

        assertThat(renewal.renewIfDue()).isFalse();
        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(original.certificate());
        assertThat(renewal.keys().certificate()).isEqualTo(original.certificate());
    }

    @Test
    void when_anAgentRenewsOverTheEndpoint_then_itPresentsItsCurrentCertificateAndGetsOneForTheSameName() {
        // An agent 61 days into a 90-day certificate, as of now: its certificate is still valid, and due.
        Path agent = dir.resolve("agent-2");
        ca.withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-61)))
                .issue(CertRequest.of("agent-2", CertificateRole.AGENT)).writeTo(agent);
        MeshIdentity coordinator = ca.withClock(Clock.systemUTC())
                .issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).identity();
        EnrollmentService service = new EnrollmentService(ca, new TokenStore(dir.resolve("ca")),
                name -> Optional.empty(), Clock.systemUTC(), CertRequest.DEFAULT_VALIDITY);
        try (EnrollmentServer server = EnrollmentServer.start(InetAddress.getLoopbackAddress(), 0,
                coordinator.sslContext(coordinator.reloadableKeyManager(), null, null), service)) {
            EnrollmentClient client = new EnrollmentClient(Clock.systemUTC(), Duration.ofSeconds(5));
            X509Certificate before = MeshIdentity.load(agent).certificate();

            CertificateRenewal renewal = CertificateRenewal.prepare(agent,
                    CertificateRenewal.remote(client, List.of(new Endpoint("127.0.0.1", server.port()))),
                    Clock.systemUTC());

            X509Certificate after = MeshIdentity.load(agent).certificate();
            assertThat(after).isNotEqualTo(before);
            assertThat(MeshPeer.of(after).name()).isEqualTo("agent-2");
            assertThat(renewal.keys().certificate()).isEqualTo(after);
            assertThat(RenewalPolicy.isDue(after, Instant.now())).isFalse();
        }
    }
}
