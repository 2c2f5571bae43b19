package org.planetarymesh.security;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.submitter.MeshException;

/**
 * What a certificate lets its holder be in the mesh. The role is set by the CA when it signs and is carried
 * in the certificate as the SAN URI {@code urn:planetary-mesh:role:<role>} (and, for people, as OU).
 */
public enum CertificateRole {
    /** A data member: holds the mesh's state, may run the scheduler. TLS server and client. */
    COORDINATOR(true),
    /** A lite member that runs tasks. TLS server and client. */
    AGENT(true),
    /** A submitter, console or operator tool: connects to members only. TLS client. */
    CLIENT(false);

    static final String ROLE_URN_PREFIX = MeshRoles.ROLE_URN_PREFIX;

    private final boolean member;

    CertificateRole(boolean member) {
        this.member = member;
    }

    /**
     * The role as written in certificates and on the command line: {@code coordinator}, {@code agent} or
     * {@code client}.
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for roles that join the cluster as members (and so also accept connections). */
    public boolean isMember() {
        return member;
    }

    /** The SAN URI that carries this role. */
    public String uri() {
        return ROLE_URN_PREFIX + wireName();
    }

    /** The role named {@code text} (case-insensitive). */
    public static CertificateRole parse(String text) {
        for (CertificateRole role : values()) {
            if (role.wireName().equalsIgnoreCase(text.trim())) {
                return role;
            }
        }
        throw new MeshException("unknown role '" + text + "': use one of "
                + Arrays.stream(values()).map(CertificateRole::wireName).toList());
    }

    /** The role carried by a mesh certificate; fails when it carries none, or more than one. */
    public static CertificateRole of(X509Certificate certificate) {
        return MeshPeer.of(certificate).role();
    }
}
