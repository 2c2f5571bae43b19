package org.planetarymesh.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.planetarymesh.submitter.MeshException;

/** Fingerprints of certificates: the CA's identifies the mesh (and goes into join tokens). */
public final class Fingerprints {
    /** Every fingerprint starts with its algorithm: {@code sha256:} then 64 lowercase hex digits. */
    public static final String SHA256_PREFIX = "sha256:";

    private Fingerprints() {
    }

    /** {@code sha256:} and the hex SHA-256 of the certificate's DER encoding, lowercase, no colons. */
    public static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return SHA256_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new MeshException("cannot fingerprint certificate " + certificate.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
    }

    /** True if {@code fingerprint} names {@code certificate} (ignoring case and surrounding blanks). */
    public static boolean matches(String fingerprint, X509Certificate certificate) {
        return fingerprint != null && sha256(certificate).equalsIgnoreCase(fingerprint.trim());
    }
}
