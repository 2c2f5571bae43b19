package org.planetarymesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.planetarymesh.submitter.MeshException;

class MeshCaTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private MeshCa newCa() {
        return MeshCa.init(dir.resolve("ca"), "lab", at(NOW));
    }

    @Test
    void when_caIsInitialised_then_keyIsOwnerOnlyAndCertificateIsASelfSignedCa() throws Exception {
        MeshCa ca = newCa();

        assertThat(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))).isEqualTo(PemFiles.OWNER_ONLY_FILE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca"))).isEqualTo(PemFiles.OWNER_ONLY_DIR);
        X509Certificate certificate = ca.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=lab Planetary Mesh CA");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getBasicConstraints()).isZero();
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(certificate.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isFalse();
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        certificate.verify(certificate.getPublicKey());
        assertThat(ca.meshName()).isEqualTo("lab");
    }

    @Test
    void when_caExists_then_initRefusesToOverwriteIt() throws Exception {
        newCa();
        byte[] key = Files.readAllBytes(dir.resolve("ca/ca.key"));

        assertThatThrownBy(this::newCa).isInstanceOf(MeshException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(dir.resolve("ca/ca.key"))).isEqualTo(key);
    }

    @Test
    void when_caIsLoaded_then_itsFingerprintIsTheOnePrintedAtInit() {
        String fingerprint = newCa().fingerprint();

        assertThat(fingerprint).matches("sha256:[0-9a-f]{64}");
        assertThat(MeshCa.load(dir.resolve("ca")).fingerprint()).isEqualTo(fingerprint);
    }

    @Test
    void when_dirHoldsNoCa_then_loadSaysHowToCreateOne() {
        assertThatThrownBy(() -> MeshCa.load(dir))
                .hasMessage("no mesh CA in " + dir + ": create one with 'bin/mesh ca init'");
    }

    @Test
    void when_nodeCertificateIsIssued_then_itChainsToTheCaAndCarriesNameAndRole() throws Exception {
        MeshCa ca = newCa();
        IssuedCertificate issued = ca.issue(CertRequest.of("agent-7", CertificateRole.AGENT)
                .withSans(List.of("127.0.0.1", "node7.lan")));

        MeshTrust.validate(issued.certificate(), ca.certificate(), NOW);
        assertThat(CertificateRole.of(issued.certificate())).isEqualTo(CertificateRole.AGENT);
        assertThat(MeshPeer.of(issued.certificate()).name()).isEqualTo("agent-7");
        assertThat(issued.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=agent-7,OU=agent");
        assertThat(issued.certificate().getSubjectAlternativeNames())
                .contains(List.of(7, "127.0.0.1"), List.of(2, "node7.lan"));
        assertThat(issued.certificate().getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(issued.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.certificate().getKeyUsage()[0]).as("digitalSignature").isTrue();
    }

    @ParameterizedTest
    @EnumSource(CertificateRole.class)
    void when_certificateIsIssuedForARole_then_itsExtendedKeyUsageFitsTheRole(CertificateRole role) throws Exception {
        X509Certificate certificate = newCa().issue(CertRequest.of("n1", role)).certificate();

        if (role == CertificateRole.CLIENT) {
            assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        } else {
            assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        }
        assertThat(CertificateRole.of(certificate)).isEqualTo(role);
    }

    @Test
    void when_daysAreGiven_then_certificateIsValidThatLongWithAllowanceForClockSkew() {
        X509Certificate defaulted = newCa().issue(CertRequest.of("n1", CertificateRole.CLIENT)).certificate();
        X509Certificate week = MeshCa.load(dir.resolve("ca"), at(NOW))
                .issue(CertRequest.of("n2", CertificateRole.CLIENT).withDays(7)).certificate();

        assertThat(defaulted.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
        assertThat(week.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(week.getNotBefore().toInstant()).isEqualTo(NOW.minus(MeshCa.CLOCK_SKEW));
    }

    @Test
    void when_certificateWouldOutliveTheCa_then_issueRefuses() {
        assertThatThrownBy(() -> newCa().issue(CertRequest.of("n1", CertificateRole.AGENT).withDays(4000)))
                .hasMessageContaining("would outlive the mesh CA");
    }

    @Test
    void when_certificateComesFromAnotherCa_then_validationFails() {
        MeshCa ours = newCa();
        MeshCa theirs = MeshCa.init(dir.resolve("other"), "lab", at(NOW));
        X509Certificate foreign = theirs.issue(CertRequest.of("n1", CertificateRole.COORDINATOR)).certificate();

        assertThat(theirs.fingerprint()).isNotEqualTo(ours.fingerprint());
        assertThatThrownBy(() -> MeshTrust.validate(foreign, ours.certificate(), NOW))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void when_certificateHasExpired_then_validationFails() {
        MeshCa ca = newCa();
        X509Certificate old = ca.withClock(at(NOW.minus(Duration.ofDays(30))))
                .issue(CertRequest.of("n1", CertificateRole.AGENT).withDays(10)).certificate();

        assertThatThrownBy(() -> MeshTrust.validate(old, ca.certificate(), NOW))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.EXPIRED));
    }

    @Test
    void when_certificateIsNotYetValid_then_validationFails() {
        MeshCa ca = newCa();
        X509Certificate early = ca.withClock(at(NOW.plus(Duration.ofDays(2))))
                .issue(CertRequest.of("n1", CertificateRole.AGENT)).certificate();

        assertThatThrownBy(() -> MeshTrust.validate(early, ca.certificate(), NOW))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.NOT_YET_VALID));
    }

    @Test
    void when_nodeCertificateIsUsedAsIssuer_then_validationFails() {
        MeshCa ca = newCa();
        X509Certificate node = ca.issue(CertRequest.of("n1", CertificateRole.COORDINATOR)).certificate();

        assertThatThrownBy(() -> MeshTrust.validate(ca.certificate(), node, NOW))
                .isInstanceOf(CertPathValidatorException.class);
        assertThatCode(() -> MeshTrust.validate(node, ca.certificate(), NOW)).doesNotThrowAnyException();
    }

    @Test
    void when_csrIsSigned_then_caSetsNameAndRoleAndIgnoresTheSubjectAsked() throws Exception {
        MeshCa ca = newCa();
        KeyPair pair = MeshCa.newKeyPair();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=root,OU=coordinator"), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));

        X509Certificate certificate = ca.sign(csr, CertificateRole.AGENT, "agent-3", 30);

        MeshTrust.validate(certificate, ca.certificate(), NOW);
        assertThat(certificate.getPublicKey()).isEqualTo(pair.getPublic());
        assertThat(MeshPeer.of(certificate).name()).isEqualTo("agent-3");
        assertThat(MeshPeer.of(certificate).role()).isEqualTo(CertificateRole.AGENT);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=agent-3,OU=agent");
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void when_csrSignatureDoesNotMatchItsKey_then_signRefuses() throws Exception {
        MeshCa ca = newCa();
        KeyPair claimed = MeshCa.newKeyPair();
        KeyPair signer = MeshCa.newKeyPair();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));

        assertThatThrownBy(() -> ca.sign(csr, CertificateRole.AGENT, "agent-3", 30))
                .isInstanceOf(MeshException.class).hasMessageContaining("invalid signature");
    }

    @Test
    void when_identityIsWrittenAndLoaded_then_itIsTheSameWithAnOwnerOnlyKey() throws Exception {
        MeshCa ca = newCa();
        IssuedCertificate issued = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR));
        Path out = dir.resolve("certs/coord-1");

        issued.writeTo(out);
        MeshIdentity loaded = MeshIdentity.load(out);

        assertThat(Files.getPosixFilePermissions(out.resolve("node.key"))).isEqualTo(PemFiles.OWNER_ONLY_FILE);
        assertThat(loaded.certificate()).isEqualTo(issued.certificate());
        assertThat(loaded.caCertificate()).isEqualTo(ca.certificate());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
        assertThat(loaded.name()).isEqualTo("coord-1");
        assertThat(loaded.role()).isEqualTo(CertificateRole.COORDINATOR);
        assertThatThrownBy(() -> issued.writeTo(out)).hasMessageContaining("already exists");
        assertThat(loaded.toString()).contains("CN=coord-1", loaded.peer().fingerprint()).doesNotContain("private");
        assertThat(issued.toString()).doesNotContain("private");
    }

    @Test
    void when_nameOrRoleIsInvalid_then_requestIsRefusedWithTheRule() {
        assertThatThrownBy(() -> CertRequest.of("a b", CertificateRole.AGENT))
                .hasMessageContaining("invalid node name");
        assertThatThrownBy(() -> CertificateRole.parse("admin")).hasMessageContaining("coordinator, agent, client");
        assertThatThrownBy(() -> CertRequest.of("n1", CertificateRole.AGENT).withSans(List.of("foo:bar")))
                .hasMessageContaining("invalid subject alternative name 'foo:bar'");
        assertThatCode(() -> CertRequest.of("n1", CertificateRole.AGENT)
                .withSans(List.of("::1", "*.mesh.lan", "10.0.0.5")))
                .doesNotThrowAnyException();
    }
}
