package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;

/** A renewed certificate swapped into a live SSLContext: new handshakes present it, open connections stay up. */
class ReloadableKeyManagerTest {
    private static final int TIMEOUT_MILLIS = 5_000;

    @TempDir
    Path dir;

    private final ExecutorService server = Executors.newCachedThreadPool();
    private MeshCa ca;
    private MeshIdentity first;
    private MeshIdentity renewed;
    private SSLServerSocket listener;

    @BeforeEach
    void mesh() {
        ca = MeshCa.init(dir.resolve("ca"), "lab", Clock.systemUTC());
        first = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).identity();
        renewed = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR)).identity();
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
        server.shutdownNow();
        assertThat(server.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    }

    /** Echoes every byte back, one connection per task, until the peer closes. */
    private void startEchoServer(SSLContext context) throws IOException {
        listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        listener.setSSLParameters(MeshIdentity.tlsParameters());
        server.execute(() -> {
            while (!listener.isClosed()) {
                try {
                    SSLSocket socket = (SSLSocket) listener.accept();
                    server.execute(() -> echo(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void echo(SSLSocket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
                out.flush();
            }
        } catch (IOException e) {
            // the peer went away: the test has its answer already
        }
    }

    private SSLSocket connect() throws IOException {
        // A fresh client context each time: a cached TLS session would be resumed without any certificate.
        MeshIdentity client = ca.issue(CertRequest.of("alice", CertificateRole.CLIENT)).identity();
        SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        socket.setSSLParameters(MeshIdentity.tlsParameters());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate serverCertificate(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static int roundTrip(SSLSocket socket, int value) {
        try {
            socket.getOutputStream().write(value);
            socket.getOutputStream().flush();
            return socket.getInputStream().read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void when_aRenewedCertificateIsSwappedIn_then_newHandshakesPresentItAndOpenConnectionsStayUp() throws Exception {
        ReloadableKeyManager keys = first.reloadableKeyManager();
        startEchoServer(first.sslContext(keys, Set.of(CertificateRole.CLIENT), null));

        try (SSLSocket before = connect()) {
            assertThat(serverCertificate(before)).isEqualTo(first.certificate());

            keys.swap(renewed.privateKey(), renewed.certificate(), renewed.caCertificate());

            try (SSLSocket after = connect()) {
                assertThat(serverCertificate(after)).isEqualTo(renewed.certificate());
                assertThat(roundTrip(after, 7)).isEqualTo(7);
            }
            assertThat(roundTrip(before, 42)).isEqualTo(42);
        }
        assertThat(keys.certificate()).isEqualTo(renewed.certificate());
    }

    @Test
    void when_aSwapHappensBetweenChoosingTheAliasAndReadingTheKey_then_chainAndKeyStillBelongTogether()
            throws Exception {
        ReloadableKeyManager keys = first.reloadableKeyManager();
        String alias = keys.chooseServerAlias("EC", null, null);

        keys.swap(renewed.privateKey(), renewed.certificate(), renewed.caCertificate());

        assertThat(keys.getCertificateChain(alias)).containsExactly(first.certificate(), first.caCertificate());
        assertThat(signsFor(keys.getPrivateKey(alias), first.certificate())).isTrue();
        String next = keys.chooseServerAlias("EC", null, null);
        assertThat(keys.getCertificateChain(next)[0]).isEqualTo(renewed.certificate());
        assertThat(signsFor(keys.getPrivateKey(next), renewed.certificate())).isTrue();
        assertThat(signsFor(keys.getPrivateKey(next), first.certificate())).isFalse();
    }

    private static boolean signsFor(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] probe = {1, 2, 3};
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signer.sign());
    }
}
