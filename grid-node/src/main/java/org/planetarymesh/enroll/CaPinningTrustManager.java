package org.planetarymesh.enroll;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshTrust;
import org.planetarymesh.security.tls.MeshRoles;

/**
 * How a node without any certificate decides to trust a coordinator's enrollment endpoint: the chain the
 * server sends must contain the CA certificate whose SHA-256 fingerprint the join token carries, the server's
 * certificate must be valid under that CA now (signature, dates, CA constraints: the JDK's PKIX validator),
 * and it must be a coordinator's. Until this passes, no application data, and so no token secret, is sent.
 */
final class CaPinningTrustManager extends X509ExtendedTrustManager {
    private final String expectedCa;
    private final Endpoint endpoint;
    private final Clock clock;

    /** Thrown when the server's chain does not hold the pinned CA; its message is the one the person reads. */
    static final class CaMismatchException extends CertificateException {
        CaMismatchException(String message) {
            super(message);
        }
    }

    CaPinningTrustManager(String expectedCaFingerprint, Endpoint endpoint, Clock clock) {
        this.expectedCa = expectedCaFingerprint;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server at " + endpoint + " sent no certificate");
        }
        X509Certificate leaf = chain[0];
        Optional<X509Certificate> pinned = Arrays.stream(chain).skip(1)
                .filter(certificate -> Fingerprints.matches(expectedCa, certificate))
                .findFirst();
        if (pinned.isEmpty()) {
            String presented = chain.length > 1
                    ? Fingerprints.sha256(chain[chain.length - 1])
                    : "none (it sent only its own certificate, " + Fingerprints.sha256(leaf) + ")";
            throw new CaMismatchException("the coordinator at " + endpoint + " presents CA " + presented
                    + " but the token expects " + expectedCa + ": the token is for another mesh, or something else"
                    + " answers at " + endpoint);
        }
        try {
            MeshTrust.validate(leaf, pinned.get(), clock.instant());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the coordinator at " + endpoint + " presents a certificate that is not"
                    + " valid under the mesh CA " + expectedCa + " now: " + e.getMessage(), e);
        }
        List<String> roles = MeshRoles.rolesOf(leaf);
        if (!roles.equals(List.of(MeshRoles.COORDINATOR))) {
            throw new CertificateException("the server at " + endpoint + " holds a certificate of the mesh with role "
                    + (roles.isEmpty() ? "none" : String.join(", ", roles)) + ", not a coordinator's");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a joining node accepts no connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a joining node accepts no connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a joining node accepts no connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
