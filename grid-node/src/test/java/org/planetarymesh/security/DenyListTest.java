package org.planetarymesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.jobs.BlockRecord;

class DenyListTest {
    @TempDir
    static Path dir;

    static MeshCa ca;
    static X509Certificate agent;

    @BeforeAll
    static void issue() {
        ca = MeshCa.init(dir.resolve("ca"), "test", Clock.systemUTC());
        agent = ca.issue(CertRequest.of("lab-pc-7", CertificateRole.AGENT)).certificate();
    }

    private final DenyList denyList = new DenyList();

    @Test
    void when_theListIsEmpty_then_everyCertificateIsAdmitted() {
        assertThat(denyList.refusal(agent)).isEmpty();
    }

    @Test
    void when_aNodeIsBlocked_then_itsCertificateIsRefusedWithWhoAndWhy() {
        denyList.block(new BlockRecord("lab-pc-7", "stolen laptop", "admin", 0));

        assertThat(denyList.refusal(agent)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("'lab-pc-7' is blocked").contains("by admin").contains("stolen laptop"));
    }

    @Test
    void when_aBlockedNodeGetsANewCertificate_then_theNewOneIsRefusedToo() {
        denyList.block(new BlockRecord("lab-pc-7", "stolen laptop", "admin", 0));
        X509Certificate renewed = ca.issue(CertRequest.of("lab-pc-7", CertificateRole.AGENT)
                .withValidity(Duration.ofDays(30))).certificate();

        assertThat(denyList.refusal(renewed)).isPresent();
    }

    @Test
    void when_anotherNodeIsBlockedOrTheBlockIsLifted_then_theCertificateIsAdmitted() {
        denyList.block(new BlockRecord("lab-pc-8", "noisy", "admin", 0));
        assertThat(denyList.refusal(agent)).isEmpty();

        denyList.replaceWith(List.of(new BlockRecord("lab-pc-7", "x", "admin", 0)));
        assertThat(denyList.isBlocked("lab-pc-8")).isFalse();
        denyList.unblock("lab-pc-7");
        assertThat(denyList.refusal(agent)).isEmpty();
    }
}
