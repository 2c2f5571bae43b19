package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.submitter.MeshException;

/** The JDK-only loader reads what the mesh CA (BouncyCastle) writes. */
class PemIdentityTest {

    @TempDir
    Path dir;

    @Test
    void when_aBundleIsIssued_then_theJdkLoaderReadsItIntoATls13Context() {
        MeshCa ca = MeshCa.init(dir.resolve("ca"), "test", Clock.systemUTC());
        ca.issue(CertRequest.of("client-1", CertificateRole.CLIENT)).writeTo(dir.resolve("client-1"));

        SSLContext context = PemIdentity.load(dir.resolve("client-1"));

        assertThat(context.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(PemIdentity.readPrivateKey(dir.resolve("client-1").resolve(PemIdentity.KEY_FILE)).getAlgorithm())
                .isEqualTo("EC");
    }

    @Test
    void when_theDirectoryHoldsNoBundle_then_theErrorNamesTheMissingFile() {
        assertThatThrownBy(() -> PemIdentity.load(dir.resolve("nowhere")))
                .isInstanceOf(MeshException.class).hasMessageContaining("no mesh identity").hasMessageContaining("node.key");
    }

    @Test
    void when_theCertificateIsFromAnotherCa_then_loadingFails() throws Exception {
        MeshCa ours = MeshCa.init(dir.resolve("ours"), "ours", Clock.systemUTC());
        MeshCa other = MeshCa.init(dir.resolve("other"), "other", Clock.systemUTC());
        ours.issue(CertRequest.of("n", CertificateRole.AGENT)).writeTo(dir.resolve("n"));
        Files.delete(dir.resolve("n").resolve(PemIdentity.CA_FILE));
        Files.copy(dir.resolve("other").resolve(MeshCa.CERT_FILE), dir.resolve("n").resolve(PemIdentity.CA_FILE));
        assertThat(other.fingerprint()).isNotEqualTo(ours.fingerprint());

        assertThatThrownBy(() -> PemIdentity.load(dir.resolve("n")))
                .isInstanceOf(MeshException.class).hasMessageContaining("not issued by the CA");
    }
}
