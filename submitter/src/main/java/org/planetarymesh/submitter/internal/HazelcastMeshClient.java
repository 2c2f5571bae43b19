package org.planetarymesh.submitter.internal;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.planetarymesh.grid.AsyncCallbacks;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.Ids;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.JobSpecParser;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.SweepExpander;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.security.tls.TlsClients;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.NodeInfo;

/** The submitter on a Hazelcast Java client connected to the coordinators. */
public final class HazelcastMeshClient implements MeshClient {
    private final HazelcastInstance client;
    private final IMap<String, JobRecord> jobs;
    private final IMap<String, TaskRecord> tasks;
    private final IMap<String, NodeRecord> nodes;
    private final IQueue<String> submissions;
    private final IQueue<String> cancellations;
    private final IMap<String, BlockRecord> blocked;
    private final Clock clock = Clock.systemUTC();
    /** Who this client acts as, for the deny list's records. */
    private final String actor;

    private HazelcastMeshClient(HazelcastInstance client, String actor) {
        this.client = client;
        this.actor = actor;
        this.blocked = client.getMap(MeshObjects.BLOCKED);
        this.jobs = client.getMap(MeshObjects.JOBS);
        this.tasks = client.getMap(MeshObjects.TASKS);
        this.nodes = client.getMap(MeshObjects.NODES);
        this.submissions = client.getQueue(MeshObjects.SUBMISSIONS);
        this.cancellations = client.getQueue(MeshObjects.CANCELLATIONS);
    }

    public static MeshClient connect(MeshClientOptions options) {
        AsyncCallbacks.usePoolOnSmallMachines();
        ClientConfig config = new ClientConfig();
        config.setClusterName(options.clusterName());
        config.getNetworkConfig().setAddresses(options.addresses());
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(options.connectTimeout().toMillis());
        config.setProperty("hazelcast.logging.type", slf4jPresent() ? "slf4j" : "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Entry processors are Serializable, which Hazelcast prefers over zero-config Compact: register ours.
        config.getSerializationConfig().getCompactSerializationConfig().addClass(RequestCancel.class);
        // One connection, to a coordinator. A smart client connects to every member, agents too, and sends requests
        // that have no partition (map-wide reads) to any of them: a frozen laptop would stall them until the
        // invocation timeout. Coordinators own all data, so the extra hop costs little.
        config.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.SINGLE_MEMBER);
        // A missing or unreadable identity fails here, with its own message, before any connection attempt. The
        // server must be a coordinator, also when the client reconnects to an address it learnt from the cluster.
        options.tlsIdentity().ifPresent(dir -> TlsClients.useTls(config,
                PemIdentity.load(dir, null, Set.of(MeshRoles.COORDINATOR))));
        try {
            String actor = options.tlsIdentity().map(PemIdentity::nameIn)
                    .orElseGet(() -> System.getProperty("user.name", "unknown"));
            HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
            try {
                return new HazelcastMeshClient(client, actor);
            } catch (SplitBrainProtectionException e) {
                client.shutdown();
                throw new MeshException("the mesh '" + options.clusterName() + "' at " + options.addresses()
                        + " has fewer coordinators than its quorum (still starting, or split): try again", e);
            }
        } catch (IllegalStateException e) {
            throw new MeshException("cannot reach the mesh '" + options.clusterName() + "' at " + options.addresses()
                    + " within " + options.connectTimeout().toSeconds() + "s"
                    + options.tlsIdentity().map(dir -> " over mutual TLS with " + dir).orElse(""), e);
        }
    }

    private static boolean slf4jPresent() {
        try {
            Class.forName("org.slf4j.LoggerFactory");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public JobHandle submit(JobSpec spec) {
        JobSpec valid = JobSpecParser.validate(spec);
        long now = clock.millis();
        String jobId = Ids.newJobId(now);
        JobRecord job = JobRecord.accepted(jobId, valid.name(), valid.toJson(), SweepExpander.taskCount(valid),
                valid.priority(), now);
        try {
            jobs.set(jobId, job);
        } catch (RuntimeException e) {
            throw new MeshException("job not accepted: " + e.getMessage(), e);
        }
        // Stored is accepted: if this wake-up is lost, the leader finds the job in its periodic scan.
        try {
            submissions.offer(jobId);
        } catch (RuntimeException ignored) {
            // see above
        }
        return new HazelcastJobHandle(jobId, jobs, tasks, cancellations, clock);
    }

    @Override
    public JobHandle job(String jobId) {
        if (!jobs.containsKey(jobId)) {
            throw new MeshException("unknown job '" + jobId + "'");
        }
        return new HazelcastJobHandle(jobId, jobs, tasks, cancellations, clock);
    }

    @Override
    public List<JobStatus> jobs() {
        return jobs.values().stream()
                .sorted(Comparator.comparingLong(JobRecord::submittedAt).reversed().thenComparing(JobRecord::jobId))
                .map(Views::status)
                .toList();
    }

    @Override
    public List<NodeInfo> nodes() {
        var denied = blocked.keySet();
        return nodes.values().stream()
                .map(node -> Views.node(node, denied.contains(node.name())))
                .sorted(Comparator.comparing((NodeInfo n) -> !n.online()).thenComparing(NodeInfo::name))
                .toList();
    }

    @Override
    public BlockedNode block(String node, String reason) {
        if (!nodes.containsKey(node)) {
            throw new MeshException("unknown node '" + node + "': 'nodes' lists the names this mesh knows");
        }
        BlockRecord record = new BlockRecord(node, reason == null || reason.isBlank() ? "blocked by an admin" : reason,
                actor, clock.millis());
        BlockRecord earlier = blocked.putIfAbsent(node, record);
        return Views.blocked(earlier != null ? earlier : record);
    }

    @Override
    public BlockedNode unblock(String node) {
        BlockRecord removed = blocked.remove(node);
        if (removed == null) {
            throw new MeshException("node '" + node + "' is not blocked");
        }
        return Views.blocked(removed);
    }

    @Override
    public List<BlockedNode> blocked() {
        return blocked.values().stream().sorted(Comparator.comparing(BlockRecord::name)).map(Views::blocked).toList();
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
