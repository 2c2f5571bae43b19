package org.planetarymesh.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.test.Accessors;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.NodeOptions;

/**
 * An in-JVM cluster on Hazelcast's mock network (the {@code hazelcast:tests} jar), with members built from
 * our real {@link MemberConfigs}. This is the only class that touches Hazelcast's test API, which changes
 * between releases without notice.
 *
 * <p>On the mock network members find each other through the factory's registry and talk through
 * in-memory connections. The factory gives each member its own address ({@code 127.0.0.1} and the first
 * port from the config's up that no other member of the cluster has) and replaces the address picker, the joiner and the server, so the TCP-IP
 * join list, the interfaces and {@code hazelcast.local.localAddress} of our config are ignored and need no
 * stripping: the config is used as a real node starts with it. The factory itself sets
 * {@code hazelcast.wait.seconds.before.join=0} (as ours does), {@code hazelcast.graceful.shutdown.max.wait=120}
 * (ours is 20) and a partition backup sync interval of 1 s, and turns auto-detection off (ours is off).
 *
 * <p>Each cluster gets its own cluster name and its member names get a cluster-unique suffix, so that
 * two clusters in one JVM never share a member (Hazelcast refuses two live instances with one name).
 */
public final class TestCluster implements AutoCloseable {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private final TestHazelcastInstanceFactory factory = new TestHazelcastInstanceFactory();
    private final String clusterName = "mesh-test-" + CLUSTERS.incrementAndGet();

    private TestCluster() {
    }

    public static TestCluster start() {
        return new TestCluster();
    }

    public String clusterName() {
        return clusterName;
    }

    /** Options of a node of this cluster, as a single-coordinator mesh would use them (quorum 1). */
    public NodeOptions options(String name) {
        return new NodeOptions(name + "." + clusterName, "127.0.0.1", 5701, List.of(), clusterName, 1, 2, Set.of(),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A coordinator (data member) with the config {@code Coordinator} starts it with. */
    public HazelcastInstance coordinator(String name) {
        return coordinator(options(name));
    }

    public HazelcastInstance coordinator(NodeOptions options) {
        return member(MemberConfigs.coordinator(options));
    }

    /** A member with an agent's config (lite member); no {@code Agent} runs on it. */
    public HazelcastInstance agent(NodeOptions options) {
        return member(MemberConfigs.agent(options));
    }

    /** A member with any config of this cluster; returns once it has joined. */
    public HazelcastInstance member(Config config) {
        if (!clusterName.equals(config.getClusterName())) {
            throw new IllegalArgumentException("config of cluster '" + config.getClusterName()
                    + "' given to the test cluster '" + clusterName + "'");
        }
        return factory.newHazelcastInstance(config);
    }

    /** Kills a member abruptly, like {@code kill -9}: no graceful migration, no goodbye to the others. */
    public void terminate(HazelcastInstance member) {
        member.getLifecycleService().terminate();
    }

    /** Serializes and deserializes a value with a member's serialization service. */
    public static <T> T roundTrip(HazelcastInstance member, T value) {
        InternalSerializationService serialization = Accessors.getSerializationService(member);
        Data data = serialization.toData(value);
        return serialization.toObject(data);
    }

    /** True when a member serializes the value with Compact (zero-config or registered). */
    public static boolean serializesAsCompact(HazelcastInstance member, Object value) {
        return Accessors.getSerializationService(member).toData(value).isCompact();
    }

    /** Shuts every remaining member down. */
    @Override
    public void close() {
        factory.shutdownAll();
    }
}
