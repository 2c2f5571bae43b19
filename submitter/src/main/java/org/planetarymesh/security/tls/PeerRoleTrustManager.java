package org.planetarymesh.security.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks the peer's mesh role after the wrapped trust manager has validated its chain (PKIX, mesh CA only).
 * A peer that connects to us must hold one of {@code acceptedClientRoles}; a peer we connect to, one of
 * {@code acceptedServerRoles}. A null set skips the role check for that direction. A certificate without
 * exactly one role is refused whenever the check applies. The exception's message is the one-line reason
 * the TLS layer logs when it refuses the connection. A {@link PeerFilter} (the deny list) is asked last.
 */
public final class PeerRoleTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<String> acceptedClientRoles;
    private final Set<String> acceptedServerRoles;
    private final PeerFilter filter;

    public PeerRoleTrustManager(X509ExtendedTrustManager pkix, Set<String> acceptedClientRoles,
                                Set<String> acceptedServerRoles) {
        this(pkix, acceptedClientRoles, acceptedServerRoles, PeerFilter.ACCEPT_ALL);
    }

    /** Also refuses, in either direction, every peer that {@code filter} refuses (the deny list). */
    public PeerRoleTrustManager(X509ExtendedTrustManager pkix, Set<String> acceptedClientRoles,
                                Set<String> acceptedServerRoles, PeerFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.pkix = Objects.requireNonNull(pkix, "pkix");
        this.acceptedClientRoles = acceptedClientRoles == null ? null : Set.copyOf(acceptedClientRoles);
        this.acceptedServerRoles = acceptedServerRoles == null ? null : Set.copyOf(acceptedServerRoles);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(() -> pkix.checkClientTrusted(chain, authType, socket), chain, true, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(() -> pkix.checkClientTrusted(chain, authType, engine), chain, true, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(() -> pkix.checkClientTrusted(chain, authType), chain, true, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(() -> pkix.checkServerTrusted(chain, authType, socket), chain, false, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(() -> pkix.checkServerTrusted(chain, authType, engine), chain, false, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(() -> pkix.checkServerTrusted(chain, authType), chain, false, null);
    }

    /** One PKIX check of the JDK's, which the three overloads per direction differ in. */
    @FunctionalInterface
    private interface PkixCheck {
        void run() throws CertificateException;
    }

    /**
     * PKIX, then the role for the direction ({@code fromClient}: the peer connected to us), then the filter; a
     * refusal on an engine is recorded for the log line whichever pipeline notices it first.
     */
    private void check(PkixCheck pkixCheck, X509Certificate[] chain, boolean fromClient, SSLEngine engine)
            throws CertificateException {
        try {
            pkixCheck.run();
            requireRole(chain, fromClient ? acceptedClientRoles : acceptedServerRoles,
                    fromClient ? "connecting peer" : "server");
            requireAdmitted(chain);
        } catch (CertificateException e) {
            CertificateFailures.record(engine, e.getMessage());
            throw e;
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private void requireAdmitted(X509Certificate[] chain) throws CertificateException {
        var refusal = filter.refusal(chain[0]);
        if (refusal.isPresent()) {
            throw new CertificateException(refusal.get());
        }
    }

    private static void requireRole(X509Certificate[] chain, Set<String> accepted, String peer)
            throws CertificateException {
        if (accepted == null) {
            return;
        }
        X509Certificate leaf = chain[0];
        List<String> roles = MeshRoles.rolesOf(leaf);
        if (roles.size() != 1 || !accepted.contains(roles.get(0))) {
            throw new CertificateException("the " + peer + "'s certificate " + leaf.getSubjectX500Principal()
                    + (roles.isEmpty() ? " carries no mesh role" : " has the role " + String.join(", ", roles))
                    + "; this endpoint accepts " + String.join(" or ", new TreeSet<>(accepted)));
        }
    }
}
