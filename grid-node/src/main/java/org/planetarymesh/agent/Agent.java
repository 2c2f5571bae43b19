package org.planetarymesh.agent;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
import org.planetarymesh.owner.AgentControl;
import org.planetarymesh.owner.OwnerLoadMeter;
import org.planetarymesh.owner.OwnerPolicy;
import org.planetarymesh.owner.OwnerWatch;
import org.planetarymesh.registry.NodeCapabilities;
import org.planetarymesh.registry.NodeOffer;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.jobs.Sizes;
import org.planetarymesh.sandbox.Sandbox;
import org.planetarymesh.sandbox.SandboxSettings;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.Protection;
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
    private final Sandbox sandbox;
    private final Contribution.Caps caps;
    private final OwnerWatch owner;
    private final AgentControl control;
    private volatile String unavailable = "";
    private volatile long latencyMicros;

    private Agent(HazelcastInstance hz, NodeOptions options, Clock clock, CertificateRenewal renewal,
                  Sandbox sandbox, Contribution.Caps caps, OwnerPolicy.Settings ownerSettings) {
        this.hz = hz;
        this.renewal = renewal;
        this.options = options;
        this.sandbox = sandbox;
        this.caps = caps;
        this.reports = new ReportSink(hz.getQueue(MeshObjects.REPORTS), options.name());
        this.runner = new ProcessRunner(ProcessRunner.Config.defaults(options.workDir(), options.name())
                .withSandbox(sandbox), reports::add, clock);
        OwnerLoadMeter load = new OwnerLoadMeter(this::meshCpuNanos);
        this.owner = new OwnerWatch(options.name(), ownerSettings, load, runner,
                reason -> unavailable = reason, clock).start(OwnerWatch.DEFAULT_TICK);
        if (ownerSettings.whenIdle()) {
            LOG.info("owner policy on node={} idleLoad={} idleFor={} evictAfter={} load={}", options.name(),
                    ownerSettings.idleLoadPerCore(), ownerSettings.idleFor(), ownerSettings.evictAfter(), load.source());
        }
        this.control = openControl(options.name(), owner);
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
        List<String> protections = sandbox.report().active().stream().map(Protection::wireName).sorted().toList();
        registry.register(hz, NodeRecord.AGENT, new NodeOffer(options.slots(), options.labels(), protections,
                caps.cpus(), caps.memoryBytes(), caps.diskBytes()), clock);
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
        return start(options, clock, renewalSigner, Contribution.defaults());
    }

    /**
     * As {@link #start(NodeOptions, Clock, CertificateRenewal.Signer)}, lending what {@code contribution} caps: the
     * sandbox is detected first (an agent that would run tasks as root refuses to start), then the member joins.
     */
    public static Agent start(NodeOptions options, Clock clock, CertificateRenewal.Signer renewalSigner,
                              Contribution contribution) {
        Sandbox sandbox = sandbox(options, contribution);
        Contribution.Caps caps = caps(options, contribution);
        sandbox.cleanUpEarlierRun();
        sandbox.capNode(caps.cpus(), caps.memoryBytes());
        CertificateRenewal renewal = options.tlsDir().isPresent() && renewalSigner != null
                ? CertificateRenewal.prepare(options.tlsDir().get(), renewalSigner, clock)
                : null;
        Config config = MemberConfigs.agent(options);
        HazelcastInstance hz = Members.start(config, options, CertificateRole.AGENT,
                renewal == null ? null : renewal.keys());
        Agent agent = new Agent(hz, options, clock, renewal, sandbox, caps, contribution.owner());
        // Hazelcast copies the configured user context at start, so the agent goes into the live one; before it
        // registers, or the leader dispatches to a member that cannot take the work yet.
        hz.getUserContext().put(CONTEXT_KEY, agent);
        agent.register(clock);
        if (renewal != null) {
            renewal.startChecking(CertificateRenewal.CHECK_EVERY);
        }
        return agent;
    }

    /** The sandbox this host allows, hiding the agent's own files from tasks. */
    public static Sandbox sandbox(NodeOptions options, Contribution contribution) {
        List<Path> agentDirs = new ArrayList<>();
        agentDirs.add(options.workDir());
        options.tlsDir().ifPresent(agentDirs::add);
        agentDirs.add(MeshClientOptions.defaultStateDir());
        try {
            Files.createDirectories(options.workDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the work directory " + options.workDir() + ": "
                    + e.getMessage());
        }
        return Sandbox.detect(new SandboxSettings(options.name(), options.workDir(), contribution.taskUser(),
                agentDirs, true, true));
    }

    private static Contribution.Caps caps(NodeOptions options, Contribution contribution) {
        NodeCapabilities host = NodeCapabilities.detect();
        long free;
        try {
            free = Files.getFileStore(options.workDir()).getUsableSpace();
        } catch (IOException e) {
            free = 0;
        }
        List<String> warnings = new ArrayList<>();
        Contribution.Caps caps = contribution.resolve(host.cores(), host.memoryBytes(), free, warnings);
        warnings.forEach(w -> LOG.warn("contribution capped node={} reason={}", options.name(), w));
        LOG.info("contribution node={} cpus={} memory={} disk={} slots={}", options.name(), caps.cpus(),
                Sizes.format(caps.memoryBytes()), Sizes.format(caps.diskBytes()), options.slots());
        return caps;
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
            if (owner.accepting()) {
                runner.launch(launch);
            } else {
                // Sent before the leader saw this node stop taking work: give it back at once, uncharged.
                runner.refuse(launch, "node not taking work: " + unavailable);
            }
        }
    }

    /** CPU the mesh uses on this host (the agent and its tasks): what the owner's load is measured without. */
    private long meshCpuNanos() {
        long self = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        return self + runner.tasksCpuNanos();
    }

    private static AgentControl openControl(String name, OwnerWatch owner) {
        Path socket = AgentControl.socketPath(MeshClientOptions.defaultStateDir(), name);
        try {
            return AgentControl.open(socket, owner);
        } catch (IOException | RuntimeException e) {
            // The node still works; only `agent pause|resume` cannot reach it.
            LOG.warn("owner control socket not opened node={} socket={} reason={}", name, socket, e.getMessage());
            return null;
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
            latencyMicros = registry.heartbeat(List.copyOf(runner.runningAttemptIds()), unavailable, latencyMicros,
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
        if (control != null) {
            control.close();
        }
        owner.close();
        runner.close();
        sandbox.close();
        reports.close();
        hz.shutdown();
        LOG.info("agent stopped node={}", options.name());
    }
}
