package org.planetarymesh.node;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.EnumSet;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.planetarymesh.security.tls.TlsMembers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the Hazelcast member of a node: plaintext, or mutual TLS when {@link NodeOptions#tlsDir()} is set. */
public final class Members {
    private static final Logger LOG = LoggerFactory.getLogger(Members.class);

    private Members() {
    }

    /**
     * A member with {@code config}; with TLS the identity in {@code options.tlsDir()} must carry {@code role}.
     *
     * @throws org.planetarymesh.submitter.MeshException if the identity is missing, unreadable or of another role
     */
    public static HazelcastInstance start(Config config, NodeOptions options, CertificateRole role) {
        return start(config, options, role, null);
    }

    /**
     * As {@link #start(Config, NodeOptions, CertificateRole)}; with TLS the member presents what {@code keys}
     * holds at each handshake (the identity's own key and certificate when null), so a renewed certificate
     * swapped into {@code keys} is used by new connections without a restart.
     */
    public static HazelcastInstance start(Config config, NodeOptions options, CertificateRole role,
                                          ReloadableKeyManager keys) {
        if (options.tlsDir().isEmpty()) {
            return Hazelcast.newHazelcastInstance(config);
        }
        Path dir = options.tlsDir().get();
        MeshIdentity identity = MeshIdentity.load(dir);
        identity.peer().requireRole(role);
        LOG.info("mTLS on: node={} certificate={} role={} mesh CA {}", options.name(), identity.name(),
                role.wireName(), Fingerprints.sha256(identity.caCertificate()));
        // One port serves members and clients, so the handshake accepts any mesh role and the member protocol
        // then wants a member; a connection we open goes to a member, whose certificate must say so.
        EnumSet<CertificateRole> members = EnumSet.of(CertificateRole.COORDINATOR, CertificateRole.AGENT);
        ReloadableKeyManager presented = keys != null ? keys : identity.reloadableKeyManager();
        return TlsMembers.newMember(config,
                identity.sslContext(presented, EnumSet.allOf(CertificateRole.class), members), MeshRoles.MEMBERS);
    }
}
