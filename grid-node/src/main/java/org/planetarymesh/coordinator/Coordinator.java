package org.planetarymesh.coordinator;

import com.hazelcast.core.HazelcastInstance;
import java.time.Clock;
import org.planetarymesh.enroll.EnrollmentOptions;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.Members;
import org.planetarymesh.node.NodeOptions;
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
    private final EnrollmentDuty enrollment;

    private Coordinator(HazelcastInstance hz, Scheduler scheduler, String name, EnrollmentDuty enrollment) {
        this.hz = hz;
        this.scheduler = scheduler;
        this.name = name;
        this.enrollment = enrollment;
    }

    public static Coordinator start(NodeOptions options, Clock clock) {
        return start(options, clock, EnrollmentOptions.OFF);
    }

    /**
     * As {@link #start(NodeOptions, Clock)}; with TLS and a mesh CA in {@code enrollmentOptions}, the coordinator
     * also runs the enrollment endpoint and renews its own certificate with the CA.
     */
    public static Coordinator start(NodeOptions options, Clock clock, EnrollmentOptions enrollmentOptions) {
        EnrollmentDuty enrollment = EnrollmentDuty.prepare(options, enrollmentOptions, clock);
        HazelcastInstance hz = Members.start(MemberConfigs.coordinator(options), options, CertificateRole.COORDINATOR,
                enrollment == null ? null : enrollment.keys());
        new NodeRegistry(hz, options.name()).register(hz, NodeRecord.COORDINATOR, 0, options.labels(), clock);
        // With a quorum the job maps refuse even the set-up of their proxies until enough coordinators are members.
        Members.awaitDataMembers(hz, options.quorum(), options.name());
        Scheduler scheduler = new Scheduler(hz, new MapLeaderLock(hz), new PlacementPolicy(), clock);
        scheduler.start();
        Coordinator coordinator = new Coordinator(hz, scheduler, options.name(), enrollment);
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
        hz.shutdown();
        LOG.info("coordinator stopped node={}", name);
    }
}
