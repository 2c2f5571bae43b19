package org.planetarymesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets on 127.0.0.1: two identities from one mesh CA talk TLS 1.3 with client auth; strangers are refused. */
class MeshTlsHandshakeTest {
    private static final int TIMEOUT_MILLIS = 5_000;

    @TempDir
    Path dir;

    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
    private MeshCa ca;
    private MeshIdentity coordinator;

    @BeforeEach
    void newMesh() {
        ca = MeshCa.init(dir.resolve("ca"), "lab", Clock.systemUTC());
        coordinator = ca.issue(CertRequest.of("coord-1", CertificateRole.COORDINATOR).withSans(List.of("127.0.0.1")))
                .identity();
    }

    @AfterEach
    void stop() throws InterruptedException {
        serverThread.shutdownNow();
        assertThat(serverThread.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    }

    /** Accepts one connection, reads a line of 5 bytes, answers it in upper case; completes with the client's peer. */
    private record EchoServer(SSLServerSocket socket, CompletableFuture<MeshPeer> client) {
    }

    private EchoServer startEchoServer(MeshIdentity identity) throws IOException {
        SSLServerSocket server = (SSLServerSocket) identity.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSSLParameters(MeshIdentity.tlsParameters());
        server.setSoTimeout(TIMEOUT_MILLIS);
        CompletableFuture<MeshPeer> client = CompletableFuture.supplyAsync(() -> {
            try (server; SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                byte[] text = socket.getInputStream().readNBytes(5);
                socket.getOutputStream().write(new String(text, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return MeshPeer.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, serverThread);
        return new EchoServer(server, client);
    }

    private SSLSocket connect(MeshIdentity identity, EchoServer server) throws IOException {
        SSLSocket socket = (SSLSocket) identity.sslContext().getSocketFactory().createSocket();
        socket.setSSLParameters(MeshIdentity.tlsParameters());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.socket().getLocalPort()),
                TIMEOUT_MILLIS);
        return socket;
    }

    /** Sends "hello", returns the answer; in TLS 1.3 a client finishes its handshake before the server refuses it. */
    private static String exchange(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] answer = socket.getInputStream().readNBytes(5);
        if (answer.length < 5) {
            throw new EOFException("connection closed after " + answer.length + " bytes");
        }
        return new String(answer, StandardCharsets.US_ASCII);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            throw new AssertionError("the server accepted the connection");
        } catch (ExecutionException e) {
            return e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not finish", e);
        }
    }

    @Test
    void when_bothSidesHoldCertificatesOfTheMesh_then_theyTalkTls13WithClientAuth() throws Exception {
        MeshIdentity client = ca.issue(CertRequest.of("alice", CertificateRole.CLIENT)).identity();
        EchoServer server = startEchoServer(coordinator);

        try (SSLSocket socket = connect(client, server)) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(MeshPeer.of((X509Certificate) socket.getSession().getPeerCertificates()[0]))
                    .isEqualTo(coordinator.peer());
            assertThat(exchange(socket)).isEqualTo("HELLO");
        }
        assertThat(server.client().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(client.peer());
    }

    @Test
    void when_clientHoldsACertificateOfAnotherMesh_then_theServerRefusesIt() throws Exception {
        MeshCa otherCa = MeshCa.init(dir.resolve("other-ca"), "lab", Clock.systemUTC());
        MeshIdentity stranger = otherCa.issue(CertRequest.of("alice", CertificateRole.CLIENT)).identity();
        EchoServer server = startEchoServer(coordinator);

        try (SSLSocket socket = connect(stranger, server)) {
            assertThatThrownBy(() -> {
                socket.startHandshake();
                exchange(socket);
            }).isInstanceOf(IOException.class);
        }
        assertThat(failureOf(server.client())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void when_clientCertificateHasExpired_then_theServerRefusesIt() throws Exception {
        MeshIdentity expired = ca.withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-30)))
                .issue(CertRequest.of("alice", CertificateRole.CLIENT).withDays(10)).identity();
        EchoServer server = startEchoServer(coordinator);

        try (SSLSocket socket = connect(expired, server)) {
            assertThatThrownBy(() -> {
                socket.startHandshake();
                exchange(socket);
            }).isInstanceOf(IOException.class);
        }
        assertThat(failureOf(server.client())).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void when_clientPresentsNoCertificate_then_theServerRefusesIt() throws Exception {
        EchoServer server = startEchoServer(coordinator);
        // Trusts the mesh CA but has no key of its own.
        var trustOnly = SSLContext.getInstance("TLSv1.3");
        var anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("mesh-ca", ca.certificate());
        var trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(anchors);
        trustOnly.init(null, trust.getTrustManagers(), null);

        try (SSLSocket socket = (SSLSocket) trustOnly.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.socket().getLocalPort())) {
            socket.setSSLParameters(MeshIdentity.tlsParameters());
            socket.setSoTimeout(TIMEOUT_MILLIS);
            assertThatThrownBy(() -> {
                socket.startHandshake();
                exchange(socket);
            }).isInstanceOf(IOException.class);
        }
        assertThat(failureOf(server.client())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void when_serverHoldsAClientCertificate_then_theClientRefusesIt() throws Exception {
        MeshIdentity impostor = ca.issue(CertRequest.of("mallory", CertificateRole.CLIENT)).identity();
        MeshIdentity agent = ca.issue(CertRequest.of("agent-1", CertificateRole.AGENT)).identity();
        EchoServer server = startEchoServer(impostor);

        try (SSLSocket socket = connect(agent, server)) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(failureOf(server.client())).isInstanceOf(IOException.class);
    }
}
