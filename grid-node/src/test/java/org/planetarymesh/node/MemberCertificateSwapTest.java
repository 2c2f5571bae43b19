package org.planetarymesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.IssuedCertificate;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.tls.ReloadableKeyManager;

/** A running TLS member presents a renewed certificate to new connections once it is swapped in; no restart. */
class MemberCertificateSwapTest {
    @TempDir
    Path dir;

    private HazelcastInstance member;

    @AfterEach
    void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The certificate the member presents to a new TLS connection (a fresh client context: no resumption). */
    private static X509Certificate presentedBy(int port, MeshCa ca) throws IOException {
        MeshIdentity client = ca.issue(CertRequest.of("probe", CertificateRole.CLIENT)).identity();
        try (SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSSLParameters(MeshIdentity.tlsParameters());
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void when_aRenewedCertificateIsSwappedIntoARunningMember_then_newConnectionsAreShownIt() throws Exception {
        MeshCa ca = MeshCa.init(dir.resolve("ca"), "test", Clock.systemUTC());
        ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).writeTo(dir.resolve("coord-1"));
        MeshIdentity original = MeshIdentity.load(dir.resolve("coord-1"));
        IssuedCertificate renewed = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR));
        int port = freePort();
        NodeOptions options = new NodeOptions("coord-1", "127.0.0.1", port, List.of(),
                "swap-" + UUID.randomUUID(), 1, 0, Set.of(), dir, Optional.of(dir.resolve("coord-1")));
        ReloadableKeyManager keys = original.reloadableKeyManager();
        member = Members.start(MemberConfigs.coordinator(options), options, CertificateRole.COORDINATOR, keys);
        assertThat(presentedBy(port, ca)).isEqualTo(original.certificate());

        keys.swap(renewed.privateKey(), renewed.certificate(), renewed.caCertificate());

        assertThat(presentedBy(port, ca)).isEqualTo(renewed.certificate());
        assertThat(member.getLifecycleService().isRunning()).isTrue();
    }
}
