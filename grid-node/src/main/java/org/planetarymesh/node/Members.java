package org.planetarymesh.node;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.EnumSet;
import org.planetarymesh.registry.BlockEnforcer;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.DenyList;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.planetarymesh.security.tls.TlsConnections;
import org.planetarymesh.security.tls.TlsMembers;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Hazelcast member of a node: plaintext, or mutual TLS when {@link NodeOptions#tlsDir()} is set;
 * either way the mesh's deny list is enforced from the start.
 */
public final class Members {
    private static final Logger LOG = LoggerFactory.getLogger(Members.class);

    private Members() {
    }

    /**
     * A member with {@code config}; with TLS the identity in {@code options.tlsDir()} must carry {@code role} and
     * the node's name.
     *
     * @throws MeshException if the identity is missing, unreadable, of another role or of another name
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
        DenyList denyList = new DenyList();
        TlsConnections connections = new TlsConnections(denyList);
        HazelcastInstance hz = options.tlsDir().isEmpty()
                ? Hazelcast.newHazelcastInstance(config)
                : startTls(config, options, role, keys, denyList, connections);
        try {
            // Lite members own no partitions: an agent started before any coordinator reads no map until one is here.
            awaitDataMembers(hz, 1, options.name());
            BlockEnforcer.start(hz, denyList, connections, options.name());
        } catch (RuntimeException e) {
            hz.getLifecycleService().terminate();
            throw e;
        }
        return hz;
    }

    /**
     * Waits until the cluster has at least {@code count} data members (coordinators). A node started before its
     * coordinators forms a cluster of its own and finds them by merging; until then an agent cannot write
     * anything (lite members own no partitions), and a coordinator below its quorum may not create its maps.
     * Waits as long as it takes, logging every 30 s.
     */
    public static void awaitDataMembers(HazelcastInstance hz, int count, String node) {
        long lastLog = 0;
        while (dataMembers(hz) < count) {
            long now = System.nanoTime();
            if (lastLog == 0 || now - lastLog > 30_000_000_000L) {
                lastLog = now;
                LOG.info("waiting for coordinators node={} have={} need={}", node, dataMembers(hz), count);
            }
            try {
                Thread.sleep(100); // membership changes arrive within seconds; polling keeps this simple
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for coordinators", e);
            }
        }
    }

    private static long dataMembers(HazelcastInstance hz) {
        return hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).count();
    }

    private static HazelcastInstance startTls(Config config, NodeOptions options, CertificateRole role,
                                              ReloadableKeyManager keys, DenyList denyList,
                                              TlsConnections connections) {
        Path dir = options.tlsDir().get();
        MeshIdentity identity = MeshIdentity.load(dir);
        identity.peer().requireRole(role);
        if (!identity.name().equals(options.name())) {
            // Admins block and read logs by name: a node must not run under a name its certificate does not carry.
            throw new MeshException("the node name '" + options.name() + "' is not the name in its certificate ('"
                    + identity.name() + "', " + dir.resolve(MeshIdentity.CERT_FILE) + "): start it with --name "
                    + identity.name() + " or without --name");
        }
        LOG.info("mTLS on: node={} role={} certificate={} mesh CA {}", options.name(), role.wireName(),
                identity.peer().fingerprint(), Fingerprints.sha256(identity.caCertificate()));
        // One port serves members and clients, so the handshake accepts any mesh role and the member protocol
        // then wants a member; a connection we open goes to a member, whose certificate must say so.
        EnumSet<CertificateRole> members = EnumSet.of(CertificateRole.COORDINATOR, CertificateRole.AGENT);
        ReloadableKeyManager presented = keys != null ? keys : identity.reloadableKeyManager();
        return TlsMembers.newMember(config,
                identity.sslContext(presented, EnumSet.allOf(CertificateRole.class), members, denyList),
                MeshRoles.MEMBERS, connections);
    }
}
