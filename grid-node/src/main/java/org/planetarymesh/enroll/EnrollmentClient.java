package org.planetarymesh.enroll;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.IssuedCertificate;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.MeshPeer;
import org.planetarymesh.security.MeshTrust;
import org.planetarymesh.security.PemText;
import org.planetarymesh.security.SigningRequests;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.submitter.MeshException;

/**
 * The node's side of enrollment: {@link #enroll} with a join token (the server is trusted by the CA
 * fingerprint in the token, see {@link CaPinningTrustManager}) and {@link #renew} with the node's current
 * certificate. Every failure is a {@link MeshException} with one line for people.
 */
public final class EnrollmentClient {
    /** The default distance of the enrollment port from a coordinator's member port. */
    public static final int PORT_OFFSET = 100;

    /** Nothing answered at the endpoint: the caller may try another one (a refusal would be the same anywhere). */
    public static final class UnreachableException extends MeshException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Clock clock;
    private final Duration timeout;

    /** @param timeout bound on connecting and on each read */
    public EnrollmentClient(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Makes a new key, sends the token and a CSR for {@code name} to {@code endpoint} once its CA matches the
     * token's, and returns the key with the issued agent certificate and the CA's.
     *
     * @throws MeshException unreachable endpoint, wrong CA, refused token or name, or a bad answer
     */
    public IssuedCertificate enroll(Endpoint endpoint, JoinToken token, String name) {
        KeyPair keys = SigningRequests.newKeyPair();
        String csr = PemText.of(SigningRequests.create(name, keys));
        SSLContext context;
        try {
            context = SSLContext.getInstance(PemIdentity.TLS_1_3);
            context.init(null, new TrustManager[] {new CaPinningTrustManager(token.caFingerprint(), endpoint, clock)},
                    null);
        } catch (GeneralSecurityException e) {
            throw new MeshException("cannot set up TLS 1.3: " + e.getMessage(), e);
        }
        EnrollmentResponse response = exchange(endpoint, context, EnrollmentRequest.enroll(token, name, csr),
                "enroll '" + name + "'");
        X509Certificate certificate = PemText.certificate(response.certificate());
        X509Certificate ca = PemText.certificate(response.ca());
        if (!Fingerprints.matches(token.caFingerprint(), ca)) {
            throw new MeshException("the coordinator at " + endpoint + " answered with CA " + Fingerprints.sha256(ca)
                    + " but the token expects " + token.caFingerprint());
        }
        requireIssuedFor(endpoint, certificate, ca, keys, name, CertificateRole.AGENT);
        return new IssuedCertificate(keys.getPrivate(), certificate, ca);
    }

    /**
     * Sends {@code csr} to {@code endpoint} over a connection authenticated with {@code current}, and returns
     * the new certificate, checked to carry {@code keys}' public key and {@code current}'s name and role.
     */
    public X509Certificate renew(Endpoint endpoint, MeshIdentity current, KeyPair keys,
                                 PKCS10CertificationRequest csr) {
        SSLContext context = current.sslContext(null, EnumSet.of(CertificateRole.COORDINATOR));
        EnrollmentResponse response = exchange(endpoint, context, EnrollmentRequest.renew(PemText.of(csr)),
                "renew the certificate of '" + current.name() + "'");
        X509Certificate certificate = PemText.certificate(response.certificate());
        requireIssuedFor(endpoint, certificate, current.caCertificate(), keys, current.name(), current.role());
        return certificate;
    }

    private void requireIssuedFor(Endpoint endpoint, X509Certificate certificate, X509Certificate ca, KeyPair keys,
                                  String name, CertificateRole role) {
        try {
            MeshTrust.validate(certificate, ca, clock.instant());
        } catch (GeneralSecurityException e) {
            throw new MeshException("the coordinator at " + endpoint + " answered with a certificate its CA does not"
                    + " validate: " + e.getMessage(), e);
        }
        MeshPeer peer = MeshPeer.of(certificate);
        boolean ourKey = Arrays.equals(certificate.getPublicKey().getEncoded(), keys.getPublic().getEncoded());
        if (!ourKey || !peer.name().equals(name) || peer.role() != role) {
            throw new MeshException("the coordinator at " + endpoint + " answered with a certificate for '"
                    + peer.name() + "' (" + peer.role().wireName() + "), not for this node's new key as '" + name
                    + "' (" + role.wireName() + ")");
        }
    }

    private EnrollmentResponse exchange(Endpoint endpoint, SSLContext context, EnrollmentRequest request,
                                        String what) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {PemIdentity.TLS_1_3});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            } catch (ConnectException | NoRouteToHostException | UnknownHostException
                     | SocketTimeoutException e) {
                throw unreachable(endpoint, e);
            }
            socket.startHandshake();
            EnrollmentWire.write(socket.getOutputStream(), request);
            byte[] line = EnrollmentWire.readLine(socket.getInputStream(), EnrollmentWire.deadline(timeout));
            if (line.length == 0) {
                throw new MeshException("the enrollment endpoint at " + endpoint + " closed the connection without"
                        + " an answer (see the coordinator's log)");
            }
            EnrollmentResponse response = EnrollmentWire.JSON.readValue(line, EnrollmentResponse.class);
            if (response.error() != null) {
                throw new MeshException("the coordinator at " + endpoint + " refused to " + what + ": "
                        + response.error());
            }
            return response;
        } catch (SSLException e) {
            CaPinningTrustManager.CaMismatchException mismatch =
                    causeOf(e, CaPinningTrustManager.CaMismatchException.class);
            if (mismatch != null) {
                throw new MeshException(mismatch.getMessage(), e);
            }
            CertificateException refused = causeOf(e, CertificateException.class);
            throw new MeshException("TLS with the enrollment endpoint at " + endpoint + " failed: "
                    + (refused != null ? refused.getMessage() : e.getMessage()), e);
        } catch (SocketTimeoutException e) {
            throw new MeshException("the enrollment endpoint at " + endpoint + " did not answer within "
                    + timeout.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new MeshException("cannot " + what + " at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static UnreachableException unreachable(Endpoint endpoint, IOException e) {
        return new UnreachableException("cannot reach the enrollment endpoint at " + endpoint + " (" + e.getMessage()
                + "): is a coordinator with the mesh CA and TLS running there, or does --enroll HOST:PORT name"
                + " another port?", e);
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
