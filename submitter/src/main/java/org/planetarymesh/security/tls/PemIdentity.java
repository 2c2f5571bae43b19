package org.planetarymesh.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.planetarymesh.submitter.MeshException;

/**
 * Reads an issued identity bundle with the JDK alone (no BouncyCastle on a client's class path): the
 * unencrypted PKCS#8 EC key {@value #KEY_FILE}, the certificate {@value #CERT_FILE} and the mesh CA's
 * certificate {@value #CA_FILE}, as {@code mesh cert issue} writes them.
 */
public final class PemIdentity {
    public static final String KEY_FILE = "node.key";
    public static final String CERT_FILE = "node.crt";
    public static final String CA_FILE = "ca.crt";
    /** The only protocol the TLS layer speaks. */
    public static final String TLS_1_3 = "TLSv1.3";

    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemIdentity() {
    }

    /**
     * A TLSv1.3 context that presents the identity in {@code dir} and trusts its CA only.
     *
     * @throws MeshException if a file is missing or unreadable, or the CA did not sign the certificate
     */
    public static SSLContext load(Path dir) {
        return load(dir, null, null);
    }

    /**
     * Like {@link #load(Path)}, and after PKIX validation the peer's certificate must carry one of the given
     * roles ({@link MeshRoles}): {@code acceptedClientRoles} for peers that connect to us,
     * {@code acceptedServerRoles} for peers we connect to; null skips the check for that direction.
     */
    public static SSLContext load(Path dir, Set<String> acceptedClientRoles, Set<String> acceptedServerRoles) {
        for (String file : new String[] {KEY_FILE, CERT_FILE, CA_FILE}) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new MeshException("no mesh identity in " + dir + " (" + KEY_FILE + ", " + CERT_FILE + ", "
                        + CA_FILE + " expected, " + file + " missing): issue one with 'bin/mesh cert issue'");
            }
        }
        PrivateKey key = readPrivateKey(dir.resolve(KEY_FILE));
        X509Certificate certificate = readCertificate(dir.resolve(CERT_FILE));
        X509Certificate ca = readCertificate(dir.resolve(CA_FILE));
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new MeshException("the certificate in " + dir.resolve(CERT_FILE) + " was not issued by the CA in "
                    + dir.resolve(CA_FILE), e);
        }
        return sslContext(key, certificate, ca, acceptedClientRoles, acceptedServerRoles);
    }

    /** The node (or client) name the certificate in {@code dir} carries, or its subject if it carries none. */
    public static String nameIn(Path dir) {
        X509Certificate certificate = readCertificate(dir.resolve(CERT_FILE));
        var names = MeshRoles.namesOf(certificate);
        return names.isEmpty() ? certificate.getSubjectX500Principal().getName() : names.get(0);
    }

    /** A TLSv1.3 context that presents {@code certificate} (with {@code key}) and trusts {@code ca} only. */
    public static SSLContext sslContext(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        return sslContext(key, certificate, ca, null, null);
    }

    /**
     * A TLSv1.3 context that presents {@code certificate} (with {@code key}), trusts {@code ca} only and then
     * checks the peer's role with a {@link PeerRoleTrustManager} (null: that direction is not checked).
     */
    public static SSLContext sslContext(PrivateKey key, X509Certificate certificate, X509Certificate ca,
                                        Set<String> acceptedClientRoles, Set<String> acceptedServerRoles) {
        return sslContext(key, certificate, ca, acceptedClientRoles, acceptedServerRoles, PeerFilter.ACCEPT_ALL);
    }

    /** Like the overload without {@code filter}, and every peer {@code filter} refuses fails its handshake. */
    public static SSLContext sslContext(PrivateKey key, X509Certificate certificate, X509Certificate ca,
                                        Set<String> acceptedClientRoles, Set<String> acceptedServerRoles,
                                        PeerFilter filter) {
        return sslContext(ReloadableKeyManager.of(key, certificate, ca), ca, acceptedClientRoles,
                acceptedServerRoles, filter);
    }

    /**
     * Like {@link #sslContext(PrivateKey, X509Certificate, X509Certificate, Set, Set)}, presenting whatever
     * {@code keys} holds at the moment of each handshake: a renewed certificate swapped into {@code keys} is
     * used by new connections without building a new context. {@code ca} is the only trust anchor.
     */
    public static SSLContext sslContext(ReloadableKeyManager keys, X509Certificate ca,
                                        Set<String> acceptedClientRoles, Set<String> acceptedServerRoles) {
        return sslContext(keys, ca, acceptedClientRoles, acceptedServerRoles, PeerFilter.ACCEPT_ALL);
    }

    /** Like the overload without {@code filter}, and every peer {@code filter} refuses (the deny list) fails. */
    public static SSLContext sslContext(ReloadableKeyManager keys, X509Certificate ca,
                                        Set<String> acceptedClientRoles, Set<String> acceptedServerRoles,
                                        PeerFilter filter) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("mesh-ca", ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(anchors);

            SSLContext context = SSLContext.getInstance(TLS_1_3);
            context.init(new KeyManager[] {keys},
                    new TrustManager[] {new PeerRoleTrustManager(pkix(trustManagers), acceptedClientRoles,
                            acceptedServerRoles, filter)}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new MeshException("cannot build a TLS context for " + keys.certificate().getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkix(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    /** The EC key in a PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}). */
    static PrivateKey readPrivateKey(Path file) {
        Matcher pem = PKCS8.matcher(read(file));
        if (!pem.find()) {
            throw new MeshException(file + " holds no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MeshException("cannot read the EC private key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first certificate in a PEM file. */
    static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (certificate instanceof X509Certificate x509) {
                return x509;
            }
            throw new MeshException(file + " holds no X.509 certificate");
        } catch (NoSuchFileException e) {
            throw new MeshException(file + " not found", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new MeshException("cannot read a certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new MeshException(file + " not found", e);
        } catch (IOException e) {
            throw new MeshException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
