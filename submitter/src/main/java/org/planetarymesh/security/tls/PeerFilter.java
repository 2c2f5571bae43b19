package org.planetarymesh.security.tls;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A live check of a peer's certificate after PKIX validation and the role check: the mesh's deny list. It
 * runs in every handshake (off the I/O threads) and again for every open connection when the list changes,
 * so it must be fast and must not block.
 */
@FunctionalInterface
public interface PeerFilter {
    /** Refuses no one. */
    PeerFilter ACCEPT_ALL = peer -> Optional.empty();

    /** Why {@code peer} may not connect (one line, for the log), or empty if it may. */
    Optional<String> refusal(X509Certificate peer);
}
