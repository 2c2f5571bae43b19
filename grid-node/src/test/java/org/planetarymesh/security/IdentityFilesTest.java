package org.planetarymesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed key and certificate replace the old pair; a crash at any step leaves one whole pair. */
class IdentityFilesTest {
    @TempDir
    Path dir;

    private Path node;
    private IssuedCertificate old;
    private IssuedCertificate renewed;

    @BeforeEach
    void identity() {
        MeshCa ca = MeshCa.init(dir.resolve("ca"), "lab", Clock.systemUTC());
        node = dir.resolve("agent-1");
        old = ca.issue(CertRequest.of("agent-1", CertificateRole.AGENT));
        old.writeTo(node);
        renewed = ca.issue(CertRequest.of("agent-1", CertificateRole.AGENT));
    }

    private Path next(String file) {
        return node.resolve(file + IdentityFiles.NEXT);
    }

    @Test
    void when_anIdentityIsReplaced_then_theNewPairLoadsWithTheKeyStillOwnerOnly() throws Exception {
        IdentityFiles.replace(node, renewed.privateKey(), renewed.certificate());

        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(renewed.certificate());
        assertThat(Files.getPosixFilePermissions(node.resolve(MeshIdentity.KEY_FILE)))
                .isEqualTo(PemFiles.OWNER_ONLY_FILE);
        assertThat(next(MeshIdentity.KEY_FILE)).doesNotExist();
        assertThat(next(MeshIdentity.CERT_FILE)).doesNotExist();
    }

    @Test
    void when_theCrashCameWhileWritingTheKey_then_theOldPairStays() {
        PemFiles.writePrivateKey(next(MeshIdentity.KEY_FILE), renewed.privateKey());

        assertThat(IdentityFiles.finishInterruptedReplace(node)).isFalse();

        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(old.certificate());
        assertThat(next(MeshIdentity.KEY_FILE)).doesNotExist();
    }

    @Test
    void when_theCrashCameBeforeAnyRename_then_theNewPairIsInstalled() {
        PemFiles.writePrivateKey(next(MeshIdentity.KEY_FILE), renewed.privateKey());
        PemFiles.writeCertificates(next(MeshIdentity.CERT_FILE), List.of(renewed.certificate()));

        assertThat(IdentityFiles.finishInterruptedReplace(node)).isTrue();

        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(renewed.certificate());
    }

    @Test
    void when_theCrashCameBetweenTheTwoRenames_then_theNewPairIsInstalled() throws Exception {
        PemFiles.writePrivateKey(next(MeshIdentity.KEY_FILE), renewed.privateKey());
        PemFiles.writeCertificates(next(MeshIdentity.CERT_FILE), List.of(renewed.certificate()));
        Files.move(next(MeshIdentity.KEY_FILE), node.resolve(MeshIdentity.KEY_FILE),
                StandardCopyOption.REPLACE_EXISTING);

        assertThat(IdentityFiles.finishInterruptedReplace(node)).isTrue();

        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(renewed.certificate());
    }

    @Test
    void when_theNewCertificateIsHalfWritten_then_theOldPairStays() throws Exception {
        PemFiles.writePrivateKey(next(MeshIdentity.KEY_FILE), renewed.privateKey());
        Files.writeString(next(MeshIdentity.CERT_FILE), "-----BEGIN CERTIFICATE-----\nMIIB");

        assertThat(IdentityFiles.finishInterruptedReplace(node)).isFalse();

        assertThat(MeshIdentity.load(node).certificate()).isEqualTo(old.certificate());
        assertThat(next(MeshIdentity.CERT_FILE)).doesNotExist();
    }
}
