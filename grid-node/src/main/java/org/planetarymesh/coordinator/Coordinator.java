package org.planetarymesh.coordinator;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.time.Clock;
import java.util.Optional;
import org.planetarymesh.enroll.EnrollmentOptions;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.Members;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.persistence.Persistence;
import org.planetarymesh.persistence.PersistenceOptions;
import org.planetarymesh.registry.NodeOffer;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.MapLeaderLock;
import org.planetarymesh.scheduler.Scheduler;
import org.planetarymesh.scheduler.policy.PlacementPolicy;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A coordinator: a Hazelcast data member holding jobs and tasks, and a candidate for scheduler leader. */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final HazelcastInstance hz;
    private final Scheduler scheduler;
    private final String name;
    private final EnrollmentDuty enrollment;
    private final Optional<Persistence> persistence;

    private Coordinator(HazelcastInstance hz, Scheduler scheduler, String name, EnrollmentDuty enrollment,
                        Optional<Persistence> persistence) {
        this.hz = hz;
        this.scheduler = scheduler;
        this.name = name;
        this.enrollment = enrollment;
        this.persistence = persistence;
    }

    /** A coordinator that keeps the mesh's maps in memory only and runs no enrollment endpoint. */
    public static Coordinator start(NodeOptions options, Clock clock) {
        return start(options, clock, EnrollmentOptions.OFF, Optional.empty());
    }

    /**
     * A coordinator that stores the mesh's maps in the database of {@code persistence} (docs/adr/0017), if given,
     * and restores them from it before it registers or schedules anything.
     */
    public static Coordinator start(NodeOptions options, Optional<PersistenceOptions> persistence, Clock clock) {
        return start(options, clock, EnrollmentOptions.OFF, persistence);
    }

    /**
     * A coordinator with persistence as above; with TLS and a mesh CA in {@code enrollmentOptions} it also runs
     * the enrollment endpoint and renews its own certificate with the CA.
     */
    public static Coordinator start(NodeOptions options, Clock clock, EnrollmentOptions enrollmentOptions,
                                    Optional<PersistenceOptions> persistence) {
        EnrollmentDuty enrollment = EnrollmentDuty.prepare(options, enrollmentOptions, clock);
        Optional<Persistence> store = persistence.map(Persistence::open);
        HazelcastInstance hz = startMember(options, store, enrollment == null ? null : enrollment.keys());
        new NodeRegistry(hz, options.name()).register(hz, NodeRecord.COORDINATOR,
                NodeOffer.coordinator(options.labels()), clock);
        // With a quorum the job maps refuse even the set-up of their proxies until enough coordinators are members.
        Members.awaitDataMembers(hz, options.quorum(), options.name());
        Scheduler scheduler = new Scheduler(hz, new MapLeaderLock(hz), new PlacementPolicy(), clock);
        scheduler.start();
        Coordinator coordinator = new Coordinator(hz, scheduler, options.name(), enrollment, store);
        if (enrollment != null) {
            try {
                enrollment.start(hz, options.bindHost());
            } catch (RuntimeException e) {
                coordinator.close();
                throw e;
            }
        }
        LOG.info("coordinator started node={} address={}:{}", options.name(), options.bindHost(), options.port());
        return coordinator;
    }

    private static HazelcastInstance startMember(NodeOptions options, Optional<Persistence> store,
                                                 ReloadableKeyManager keys) {
        try {
            Config config = MemberConfigs.coordinator(options);
            store.ifPresent(p -> p.configure(config));
            HazelcastInstance hz = Members.start(config, options, CertificateRole.COORDINATOR, keys);
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
        if (enrollment != null) {
            enrollment.close();
        }
        scheduler.close();
        hz.shutdown(); // stores what write-behind still holds
        persistence.ifPresent(Persistence::close);
        LOG.info("coordinator stopped node={}", name);
    }
}
