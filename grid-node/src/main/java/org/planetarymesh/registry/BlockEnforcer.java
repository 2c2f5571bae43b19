package org.planetarymesh.registry;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.security.DenyList;
import org.planetarymesh.security.tls.TlsConnections;
import org.planetarymesh.security.tls.TlsMembers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this member's {@link DenyList} equal to {@code mesh.blocked} and acts on every new block: closes this
 * member's TLS connections to the node (its handshakes fail from then on) and evicts its member from the cluster
 * without waiting for the failure detector. Every member runs one, so the node is cut off on all sides; the
 * scheduler then requeues its tasks as for any node that left.
 */
public final class BlockEnforcer {
    private static final Logger LOG = LoggerFactory.getLogger(BlockEnforcer.class);

    private final HazelcastInstance hz;
    private final DenyList denyList;
    private final TlsConnections connections;
    private final String self;

    private BlockEnforcer(HazelcastInstance hz, DenyList denyList, TlsConnections connections, String self) {
        this.hz = hz;
        this.denyList = denyList;
        this.connections = connections;
        this.self = self;
    }

    /** Starts enforcing on {@code hz}, whose node is named {@code self}. */
    public static BlockEnforcer start(HazelcastInstance hz, DenyList denyList, TlsConnections connections,
                                      String self) {
        BlockEnforcer enforcer = new BlockEnforcer(hz, denyList, connections, self);
        IMap<String, BlockRecord> blocked = hz.getMap(MeshObjects.BLOCKED);
        // Listen first, then read: a block written in between is seen at least once, and applying it twice is harmless.
        blocked.addEntryListener(enforcer.new Changes(), true);
        hz.getCluster().addMembershipListener(enforcer.new Joins());
        denyList.replaceWith(blocked.values());
        blocked.values().forEach(enforcer::enforce);
        return enforcer;
    }

    private void enforce(BlockRecord record) {
        denyList.block(record);
        if (record.name().equals(self)) {
            LOG.warn("this node is blocked node={} by={} reason={}: the mesh refuses it until an admin unblocks it",
                    self, record.blockedBy(), record.reason());
            return;
        }
        int closed = connections.closeRefused();
        for (Member member : hz.getCluster().getMembers()) {
            if (record.name().equals(member.getAttribute(MeshObjects.NODE_NAME_ATTRIBUTE)) && mayEvict(member)) {
                TlsMembers.evict(hz, member, "node '" + record.name() + "' is blocked: " + record.reason());
                LOG.info("blocked node evicted node={} member={} by={} reason={}", record.name(), member.getUuid(),
                        record.blockedBy(), record.reason());
            }
        }
        if (closed > 0) {
            LOG.info("blocked node disconnected node={} connections={}", record.name(), closed);
        }
    }

    /** The master evicts; the others evict only the master itself, which starts a mastership claim. */
    private boolean mayEvict(Member member) {
        if (member.localMember()) {
            return false;
        }
        Member master = hz.getCluster().getMembers().iterator().next();
        return master.localMember() || master.equals(member);
    }

    private final class Changes implements EntryAddedListener<String, BlockRecord>,
            EntryUpdatedListener<String, BlockRecord>, EntryRemovedListener<String, BlockRecord> {
        @Override
        public void entryAdded(EntryEvent<String, BlockRecord> event) {
            enforce(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, BlockRecord> event) {
            enforce(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, BlockRecord> event) {
            denyList.unblock(event.getKey());
            LOG.info("node unblocked node={}", event.getKey());
        }
    }

    /** A plaintext mesh has no handshake to refuse a blocked node: the master evicts it when it joins. */
    private final class Joins implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            String name = event.getMember().getAttribute(MeshObjects.NODE_NAME_ATTRIBUTE);
            if (name != null) {
                denyList.entry(name).ifPresent(BlockEnforcer.this::enforce);
            }
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            // the scheduler requeues the tasks of members that left
        }
    }
}
