package org.planetarymesh.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.planetarymesh.security.tls.PeerFilter;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.planetarymesh.submitter.MeshException;

/**
 * A node's credentials: its private key, its certificate and the mesh CA's certificate, as
 * {@link IssuedCertificate#writeTo} stores them. {@link #sslContext()} presents the node's certificate and
 * trusts certificates issued by the mesh CA only (no system trust store).
 *
 * @param privateKey    the node's key
 * @param certificate   the node's certificate
 * @param caCertificate the mesh CA's certificate
 */
public record MeshIdentity(PrivateKey privateKey, X509Certificate certificate, X509Certificate caCertificate) {
    public static final String KEY_FILE = PemIdentity.KEY_FILE;
    public static final String CERT_FILE = PemIdentity.CERT_FILE;
    public static final String CA_FILE = PemIdentity.CA_FILE;
    /** The only protocol offered unless a fallback is configured (the TLS layer's decision). */
    public static final String TLS_1_3 = PemIdentity.TLS_1_3;

    /** Loads the identity in {@code dir}; checks that key and certificate belong together and that the CA signed it. */
    public static MeshIdentity load(Path dir) {
        if (Stream.of(KEY_FILE, CERT_FILE, CA_FILE).anyMatch(file -> !Files.isRegularFile(dir.resolve(file)))) {
            throw new MeshException("no mesh identity in " + dir + " (" + KEY_FILE + ", " + CERT_FILE + ", " + CA_FILE
                    + "): issue one with 'bin/mesh cert issue'");
        }
        PrivateKey key = PemFiles.readPrivateKey(dir.resolve(KEY_FILE));
        X509Certificate certificate = PemFiles.readCertificates(dir.resolve(CERT_FILE)).get(0);
        X509Certificate ca = PemFiles.readCertificates(dir.resolve(CA_FILE)).get(0);
        KeyCheck.requireMatch(key, certificate.getPublicKey(), dir.resolve(KEY_FILE), dir.resolve(CERT_FILE));
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new MeshException("the certificate in " + dir.resolve(CERT_FILE) + " was not issued by the CA in "
                    + dir.resolve(CA_FILE), e);
        }
        return new MeshIdentity(key, certificate, ca);
    }

    static void refuseExisting(Path dir) {
        for (String file : new String[] {KEY_FILE, CERT_FILE, CA_FILE}) {
            if (Files.exists(dir.resolve(file))) {
                throw new MeshException(dir.resolve(file) + " already exists: remove the old identity first or choose"
                        + " another directory");
            }
        }
    }

    /** Names the certificate only: the key is never printed, not even by accident in a log line. */
    @Override
    public String toString() {
        return "MeshIdentity[" + certificate.getSubjectX500Principal().getName() + ", "
                + Fingerprints.sha256(certificate) + "]";
    }

    /** Name, role and fingerprint, as the certificate carries them. */
    public MeshPeer peer() {
        return MeshPeer.of(certificate);
    }

    public String name() {
        return peer().name();
    }

    public CertificateRole role() {
        return peer().role();
    }

    /**
     * A TLS context that presents this identity and trusts the mesh CA only. Use it with {@link #tlsParameters()}
     * on every engine or socket: the context alone neither limits protocols nor demands client certificates.
     */
    public SSLContext sslContext() {
        return PemIdentity.sslContext(privateKey, certificate, caCertificate);
    }

    /**
     * Like {@link #sslContext()}, and the peer must then carry one of the given roles: {@code acceptedClientRoles}
     * when it connects to us, {@code acceptedServerRoles} when we connect to it (null: not checked).
     */
    public SSLContext sslContext(Set<CertificateRole> acceptedClientRoles, Set<CertificateRole> acceptedServerRoles) {
        return PemIdentity.sslContext(privateKey, certificate, caCertificate, wireNames(acceptedClientRoles),
                wireNames(acceptedServerRoles));
    }

    /** A key manager presenting this identity now, into which a renewed identity can be swapped later. */
    public ReloadableKeyManager reloadableKeyManager() {
        return ReloadableKeyManager.of(privateKey, certificate, caCertificate);
    }

    /**
     * Like {@link #sslContext(Set, Set)}, presenting what {@code keys} holds at each handshake (a renewed
     * certificate swapped into it is used by new connections); trusts this identity's CA only.
     */
    public SSLContext sslContext(ReloadableKeyManager keys, Set<CertificateRole> acceptedClientRoles,
                                 Set<CertificateRole> acceptedServerRoles) {
        return PemIdentity.sslContext(keys, caCertificate, wireNames(acceptedClientRoles),
                wireNames(acceptedServerRoles));
    }

    /** Like {@link #sslContext(ReloadableKeyManager, Set, Set)}, and every peer {@code filter} refuses fails. */
    public SSLContext sslContext(ReloadableKeyManager keys, Set<CertificateRole> acceptedClientRoles,
                                 Set<CertificateRole> acceptedServerRoles, PeerFilter filter) {
        return PemIdentity.sslContext(keys, caCertificate, wireNames(acceptedClientRoles),
                wireNames(acceptedServerRoles), filter);
    }

    private static Set<String> wireNames(Set<CertificateRole> roles) {
        return roles == null ? null : roles.stream().map(CertificateRole::wireName).collect(Collectors.toSet());
    }

    /** TLS 1.3 only, client certificate required (the latter matters on the accepting side). */
    public static SSLParameters tlsParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {TLS_1_3});
        parameters.setNeedClientAuth(true);
        return parameters;
    }
}
