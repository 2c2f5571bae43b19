package org.planetarymesh.security;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A node's new key and the certificate the mesh CA issued for it.
 *
 * @param privateKey    the node's EC P-256 key
 * @param certificate   the node's certificate, signed by the mesh CA
 * @param caCertificate the mesh CA's certificate: the node's only trust anchor
 */
public record IssuedCertificate(PrivateKey privateKey, X509Certificate certificate, X509Certificate caCertificate) {

    /** Names the certificate only: the key is never printed. */
    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + ", "
                + Fingerprints.sha256(certificate) + "]";
    }

    /** The same as an identity a node can use. */
    public MeshIdentity identity() {
        return new MeshIdentity(privateKey, certificate, caCertificate);
    }

    /**
     * Writes the bundle {@link MeshIdentity#load} reads: {@value MeshIdentity#KEY_FILE} ({@code 0600}),
     * {@value MeshIdentity#CERT_FILE} and {@value MeshIdentity#CA_FILE}. Creates {@code dir} ({@code 0700}) if
     * missing; refuses to overwrite any file.
     */
    public void writeTo(Path dir) {
        MeshIdentity.refuseExisting(dir);
        PemFiles.createDirectory(dir);
        PemFiles.writePrivateKey(dir.resolve(MeshIdentity.KEY_FILE), privateKey);
        PemFiles.writeCertificates(dir.resolve(MeshIdentity.CERT_FILE), List.of(certificate));
        PemFiles.writeCertificates(dir.resolve(MeshIdentity.CA_FILE), List.of(caCertificate));
    }
}
