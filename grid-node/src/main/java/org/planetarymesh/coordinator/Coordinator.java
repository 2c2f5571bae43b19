package org.planetarymesh.coordinator;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.time.Clock;
import java.util.Optional;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.Members;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.persistence.Persistence;
import org.planetarymesh.persistence.PersistenceOptions;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.MapLeaderLock;
import org.planetarymesh.scheduler.Scheduler;
import org.planetarymesh.scheduler.policy.PlacementPolicy;
import org.planetarymesh.security.CertificateRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A coordinator: a Hazelcast data member holding jobs and tasks, and a candidate for scheduler leader. */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final HazelcastInstance hz;
    private final Scheduler scheduler;
    private final String name;
    private final Optional<Persistence> persistence;

    private Coordinator(HazelcastInstance hz, Scheduler scheduler, String name, Optional<Persistence> persistence) {
        this.hz = hz;
        this.scheduler = scheduler;
        this.name = name;
        this.persistence = persistence;
    }

    /** A coordinator that keeps the mesh's maps in memory only. */
    public static Coordinator start(NodeOptions options, Clock clock) {
        return start(options, Optional.empty(), clock);
    }

    /**
     * A coordinator that stores the mesh's maps in the database of {@code persistence} (docs/adr/0017), if given,
     * and restores them from it before it registers or schedules anything.
     */
    public static Coordinator start(NodeOptions options, Optional<PersistenceOptions> persistence, Clock clock) {
        Optional<Persistence> store = persistence.map(Persistence::open);
        HazelcastInstance hz = startMember(options, store);
        new NodeRegistry(hz, options.name()).register(hz, NodeRecord.COORDINATOR, 0, options.labels(), clock);
        Scheduler scheduler = new Scheduler(hz, new MapLeaderLock(hz), new PlacementPolicy(), clock);
        scheduler.start();
        LOG.info("coordinator started node={} address={}:{}", options.name(), options.bindHost(), options.port());
        return new Coordinator(hz, scheduler, options.name(), store);
    }

    private static HazelcastInstance startMember(NodeOptions options, Optional<Persistence> store) {
        try {
            Config config = MemberConfigs.coordinator(options);
            store.ifPresent(p -> p.configure(config));
            HazelcastInstance hz = Members.start(config, options, CertificateRole.COORDINATOR);
            store.ifPresent(p -> p.restore(hz));
            return hz;
        } catch (RuntimeException e) {
            store.ifPresent(Persistence::close);
            throw e;
        }
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    /** The epoch this coordinator leads with, 0 when another coordinator leads. */
    public long leaderEpoch() {
        return scheduler.leaderEpoch();
    }

    @Override
    public void close() {
        scheduler.close();
        hz.shutdown(); // stores what write-behind still holds
        persistence.ifPresent(Persistence::close);
        LOG.info("coordinator stopped node={}", name);
    }
}
