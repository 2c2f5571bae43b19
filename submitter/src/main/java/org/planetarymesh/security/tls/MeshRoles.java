package org.planetarymesh.security.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.planetarymesh.submitter.MeshException;

/**
 * Reads what a mesh certificate says about its holder from its SAN URIs: the role
 * ({@code urn:planetary-mesh:role:<role>}) and the node name ({@code urn:planetary-mesh:node:<name>}). The one
 * parser of these URIs; grid-node's {@code CertificateRole} and {@code MeshPeer} delegate to it.
 */
public final class MeshRoles {
    /** Prefix of the SAN URI that carries a certificate's role. */
    public static final String ROLE_URN_PREFIX = "urn:planetary-mesh:role:";
    /** Prefix of the SAN URI that carries a certificate's node name. */
    public static final String NODE_URN_PREFIX = "urn:planetary-mesh:node:";
    public static final String COORDINATOR = "coordinator";
    public static final String AGENT = "agent";
    public static final String CLIENT = "client";
    /** The roles that may open a member-to-member connection. */
    public static final Set<String> MEMBERS = Set.of(COORDINATOR, AGENT);
    /** Every role the mesh CA issues. */
    public static final Set<String> ANY_MESH_ROLE = Set.of(COORDINATOR, AGENT, CLIENT);

    private static final int SAN_URI = 6;

    private MeshRoles() {
    }

    /** The roles named in {@code certificate}'s SAN URIs, lower case, in order; empty if it carries none. */
    public static List<String> rolesOf(X509Certificate certificate) {
        return withPrefix(certificate, ROLE_URN_PREFIX).stream().map(role -> role.toLowerCase(Locale.ROOT)).toList();
    }

    /** The node names in {@code certificate}'s SAN URIs, in order; empty if it carries none. */
    public static List<String> namesOf(X509Certificate certificate) {
        return withPrefix(certificate, NODE_URN_PREFIX);
    }

    private static List<String> withPrefix(X509Certificate certificate, String prefix) {
        return sanUris(certificate).stream()
                .filter(uri -> uri.startsWith(prefix))
                .map(uri -> uri.substring(prefix.length()))
                .toList();
    }

    private static List<String> sanUris(X509Certificate certificate) {
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new MeshException("cannot read the subject alternative names of "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        if (sans == null) {
            return List.of();
        }
        return sans.stream()
                .filter(san -> san.size() >= 2 && Integer.valueOf(SAN_URI).equals(san.get(0))
                        && san.get(1) instanceof String)
                .map(san -> (String) san.get(1))
                .toList();
    }
}
