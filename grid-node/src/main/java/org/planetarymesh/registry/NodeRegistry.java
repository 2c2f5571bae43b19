package org.planetarymesh.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.submitter.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A node's own entry in the registry: written on join, refreshed by each heartbeat. */
public final class NodeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    private final IMap<String, NodeRecord> nodes;
    private final String name;

    public NodeRegistry(HazelcastInstance hz, String name) {
        this.nodes = hz.getMap(MeshObjects.NODES);
        this.name = name;
    }

    /**
     * Records this node's identity and capabilities, now and again each time it merges back into the mesh
     * (after a partition or a lifted block it is a new member, with a new id); a node restarting under its name
     * replaces its entry.
     */
    public void register(HazelcastInstance hz, String role, NodeOffer offer, Clock clock) {
        write(hz, role, offer, clock.millis());
        hz.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                try {
                    write(hz, role, offer, clock.millis());
                } catch (RuntimeException e) {
                    LOG.warn("node not registered again after merging node={} reason={}", name, e.toString());
                }
            }
        });
    }

    private void write(HazelcastInstance hz, String role, NodeOffer offer, long now) {
        NodeCapabilities caps = NodeCapabilities.detect();
        var member = hz.getCluster().getLocalMember();
        NodeRecord record = new NodeRecord(name, role, member.getUuid().toString(),
                member.getAddress().getHost() + ":" + member.getAddress().getPort(), caps.cores(), caps.memoryBytes(),
                caps.os(), caps.arch(), offer.slots(), List.copyOf(offer.labels()), caps.javaVersion(), NodeState.HEALTHY,
                List.of(), 0, -1, 0, offer.protections(), offer.cpus(), offer.memoryBytes(), offer.diskBytes(), "", now,
                now);
        nodes.set(name, record);
        LOG.info("node registered node={} role={} address={} slots={} labels={} cores={} protections={}", name, role,
                record.address(), offer.slots(), offer.labels(), caps.cores(), offer.protections());
    }

    /**
     * Refreshes this node's load and availability; returns the round trip it took, in microseconds.
     *
     * @param unavailableReason empty while the node takes work, else why it does not (paused, owner active)
     */
    public long heartbeat(List<String> running, String unavailableReason, long lastLatencyMicros, long now) {
        NodeCapabilities.HostLoad load = NodeCapabilities.HostLoad.sample();
        long start = System.nanoTime();
        nodes.executeOnKey(name, new Heartbeat(running, unavailableReason, lastLatencyMicros, load.loadPerCore(),
                load.freeMemoryBytes(), now));
        return (System.nanoTime() - start) / 1000;
    }

    /** Applies a heartbeat on the entry's partition; the state is the leader's to change. */
    public record Heartbeat(List<String> running, String unavailableReason, long latencyMicros, double loadPerCore,
                            long freeMemoryBytes, long now)
            implements EntryProcessor<String, NodeRecord, Void> {
        @Override
        public Void process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord current = entry.getValue();
            if (current != null) {
                entry.setValue(current.withHeartbeat(running, unavailableReason, latencyMicros, loadPerCore,
                        freeMemoryBytes, now));
            }
            return null;
        }
    }

    /**
     * The leader's health verdict, applied only if the entry still belongs to the member it judged: a node that
     * already re-registered under the same name (a new member) keeps its fresh entry.
     */
    public record SetState(String memberUuid, NodeState state) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord current = entry.getValue();
            if (current == null || current.state() == state || !current.memberUuid().equals(memberUuid)) {
                return false;
            }
            entry.setValue(current.withState(state));
            return true;
        }
    }
}
