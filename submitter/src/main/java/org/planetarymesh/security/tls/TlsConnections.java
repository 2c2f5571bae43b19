package org.planetarymesh.security.tls;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open TLS connections of one member, each with its verified peer certificate, and the {@link PeerFilter}
 * they are held to. A connection is checked again when its handshake ends (a peer denied between its
 * certificate check and the end of its handshake must not slip through) and whenever {@link #closeRefused()}
 * is called after the filter's answer changed.
 */
public final class TlsConnections {
    private final PeerFilter filter;
    private final Set<TlsSession> open = ConcurrentHashMap.newKeySet();

    public TlsConnections(PeerFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** Tracks connections and refuses no one. */
    public static TlsConnections acceptingAll() {
        return new TlsConnections(PeerFilter.ACCEPT_ALL);
    }

    /**
     * Closes every open connection whose peer the filter now refuses; returns how many. Each close is logged
     * with its reason by the connection and goes through Hazelcast's own close path (its next read fails).
     */
    public int closeRefused() {
        int closed = 0;
        for (TlsSession session : open) {
            Optional<String> refusal = refusalOf(session);
            if (refusal.isPresent()) {
                session.closeBecause(refusal.get());
                open.remove(session);
                closed++;
            }
        }
        return closed;
    }

    /** Called once the handshake verified the peer; a peer refused by now is closed instead of tracked. */
    void opened(TlsSession session) {
        Optional<String> refusal = refusalOf(session);
        if (refusal.isPresent()) {
            session.closeBecause(refusal.get());
        } else {
            open.add(session);
        }
    }

    void closed(TlsSession session) {
        open.remove(session);
    }

    private Optional<String> refusalOf(TlsSession session) {
        X509Certificate peer = session.peerCertificate();
        return peer == null ? Optional.empty() : filter.refusal(peer);
    }
}
