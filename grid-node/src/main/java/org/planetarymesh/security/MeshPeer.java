package org.planetarymesh.security;

import java.security.cert.X509Certificate;
import java.util.List;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.submitter.MeshException;

/**
 * Who a mesh certificate belongs to, as the CA wrote it: node name and role from the SAN URIs
 * {@code urn:planetary-mesh:node:<name>} and {@code urn:planetary-mesh:role:<role>}. The TLS layer reads a
 * peer's certificate with {@link #of} after the handshake has verified it against the mesh CA.
 *
 * @param name        the node's name (also the certificate's CN)
 * @param role        what the node may be in the mesh
 * @param fingerprint {@link Fingerprints#sha256} of the certificate, for deny lists and logs
 */
public record MeshPeer(String name, CertificateRole role, String fingerprint) {
    static final String NODE_URN_PREFIX = MeshRoles.NODE_URN_PREFIX;

    /** Reads name and role from a certificate issued by a mesh CA; fails when either is missing or repeated. */
    public static MeshPeer of(X509Certificate certificate) {
        List<String> names = MeshRoles.namesOf(certificate);
        List<String> roles = MeshRoles.rolesOf(certificate);
        if (names.size() != 1 || roles.size() != 1) {
            throw new MeshException("certificate " + certificate.getSubjectX500Principal()
                    + " is not a mesh node certificate (it needs exactly one node name and one role, found "
                    + names.size() + " and " + roles.size() + ")");
        }
        return new MeshPeer(names.get(0), CertificateRole.parse(roles.get(0)), Fingerprints.sha256(certificate));
    }

    /**
     * Returns normally if this certificate may start a node of {@code role}; the roles must be equal (an agent
     * certificate cannot start a coordinator, a client certificate no member at all).
     *
     * @throws MeshException naming both roles
     */
    public void requireRole(CertificateRole role) {
        if (this.role != role) {
            throw new MeshException("the certificate of '" + name + "' (" + fingerprint + ") has the role "
                    + this.role.wireName() + ": a node started as " + role.wireName() + " needs a " + role.wireName()
                    + " certificate ('bin/mesh cert issue --role " + role.wireName() + "')");
        }
    }
}
