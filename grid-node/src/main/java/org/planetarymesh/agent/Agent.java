package org.planetarymesh.agent;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.enroll.CertificateRenewal;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.Members;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.registry.NodeCapabilities;
import org.planetarymesh.registry.NodeOffer;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.security.CertificateRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contributor's node: a Hazelcast lite member that registers itself, runs the attempts the scheduler
 * sends it as OS processes, and reports what happens to them.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final String CONTEXT_KEY = "mesh.agent";
    private static final long HEARTBEAT_MILLIS = 1000;

    private final HazelcastInstance hz;
    private final NodeOptions options;
    private final ReportSink reports;
    private final ProcessRunner runner;
    private final NodeRegistry registry;
    private final ScheduledExecutorService heartbeat;
    private final CertificateRenewal renewal;
    private volatile long latencyMicros;

    private Agent(HazelcastInstance hz, NodeOptions options, Clock clock, CertificateRenewal renewal) {
        this.hz = hz;
        this.renewal = renewal;
        this.options = options;
        this.reports = new ReportSink(hz.getQueue(MeshObjects.REPORTS), options.name());
        this.runner = new ProcessRunner(ProcessRunner.Config.defaults(options.workDir(), options.name()),
                reports::add, clock);
        this.registry = new NodeRegistry(hz, options.name());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-heartbeat");
            t.setDaemon(true);
            return t;
        });
        runner.killOrphansOfEarlierRun();
    }

    /** Registers the node, which makes it placeable: only once dispatches can reach it (see {@link #start}). */
    private void register(Clock clock) {
        registry.register(hz, NodeRecord.AGENT, new NodeOffer(options.slots(), options.labels(), List.of(),
                NodeCapabilities.detect().cores(), NodeCapabilities.detect().memoryBytes(), Long.MAX_VALUE), clock);
        heartbeat.scheduleWithFixedDelay(() -> beat(clock), HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts a lite member with the given options and joins the mesh. */
    public static Agent start(NodeOptions options, Clock clock) {
        return start(options, clock, null);
    }

    /**
     * As {@link #start(NodeOptions, Clock)}; with TLS and a {@code renewalSigner}, the agent renews its
     * certificate through it when less than a third of its lifetime is left (checked at start, then every
     * {@link CertificateRenewal#CHECK_EVERY}), and its member presents the new one without a restart.
     */
    public static Agent start(NodeOptions options, Clock clock, CertificateRenewal.Signer renewalSigner) {
        CertificateRenewal renewal = options.tlsDir().isPresent() && renewalSigner != null
                ? CertificateRenewal.prepare(options.tlsDir().get(), renewalSigner, clock)
                : null;
        Config config = MemberConfigs.agent(options);
        HazelcastInstance hz = Members.start(config, options, CertificateRole.AGENT,
                renewal == null ? null : renewal.keys());
        Agent agent = new Agent(hz, options, clock, renewal);
        // Hazelcast copies the configured user context at start, so the agent goes into the live one; before it
        // registers, or the leader dispatches to a member that cannot take the work yet.
        hz.getUserContext().put(CONTEXT_KEY, agent);
        agent.register(clock);
        if (renewal != null) {
            renewal.startChecking(CertificateRenewal.CHECK_EVERY);
        }
        return agent;
    }

    static Agent of(HazelcastInstance hz) {
        Object agent = hz.getUserContext().get(CONTEXT_KEY);
        if (agent == null) {
            throw new IllegalStateException("member " + hz.getName() + " is not an agent (or is still starting)");
        }
        return (Agent) agent;
    }

    void run(List<TaskLaunch> launches) {
        for (TaskLaunch launch : launches) {
            runner.launch(launch);
        }
    }

    int cancel(List<String> attemptIds) {
        int cancelled = 0;
        for (String attemptId : attemptIds) {
            if (runner.cancel(attemptId)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * The attempts this agent still holds: running, or ended with a result not yet delivered. A leader that restarted
     * asks for them to keep those attached and requeue the others ({@link HeldAttempts}).
     */
    List<String> heldAttempts() {
        Set<String> held = new HashSet<>(runner.knownAttemptIds());
        held.addAll(reports.undeliveredAttemptIds());
        return List.copyOf(held);
    }

    public String name() {
        return options.name();
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    private void beat(Clock clock) {
        try {
            latencyMicros = registry.heartbeat(List.copyOf(runner.runningAttemptIds()), "", latencyMicros,
                    clock.millis());
        } catch (RuntimeException e) {
            if (hz.getLifecycleService().isRunning()) {
                LOG.warn("heartbeat failed node={} reason={}", options.name(), e.toString());
            }
        }
    }

    /** Kills running attempts (they are reported cancelled), delivers pending reports, leaves the mesh. */
    @Override
    public void close() {
        if (renewal != null) {
            renewal.close();
        }
        heartbeat.shutdownNow();
        runner.close();
        reports.close();
        hz.shutdown();
        LOG.info("agent stopped node={}", options.name());
    }
}
