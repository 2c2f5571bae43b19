package org.planetarymesh.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.PeerFilter;

/**
 * This member's copy of the mesh's deny list, by node name: a certificate that carries a blocked name is
 * refused whoever issued it and whenever, so a renewed certificate of a blocked node stays out. Read in every
 * handshake, hence a concurrent map and no I/O.
 */
public final class DenyList implements PeerFilter {
    private final Map<String, BlockRecord> blocked = new ConcurrentHashMap<>();

    public void block(BlockRecord record) {
        blocked.put(record.name(), record);
    }

    public void unblock(String name) {
        blocked.remove(name);
    }

    /** Replaces the whole list, as read from the mesh at start. */
    public void replaceWith(Collection<BlockRecord> records) {
        blocked.clear();
        records.forEach(this::block);
    }

    public Optional<BlockRecord> entry(String name) {
        return Optional.ofNullable(blocked.get(name));
    }

    public boolean isBlocked(String name) {
        return blocked.containsKey(name);
    }

    @Override
    public Optional<String> refusal(X509Certificate peer) {
        for (String name : MeshRoles.namesOf(peer)) {
            BlockRecord record = blocked.get(name);
            if (record != null) {
                return Optional.of("node '" + name + "' is blocked since " + Instant.ofEpochMilli(record.blockedAt())
                        + " by " + record.blockedBy() + ": " + record.reason());
            }
        }
        return Optional.empty();
    }
}
