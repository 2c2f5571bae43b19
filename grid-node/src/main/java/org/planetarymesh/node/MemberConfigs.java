package org.planetarymesh.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import org.planetarymesh.discovery.hazelcast.MdnsDiscovery;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.MapLeaderLock;
import org.planetarymesh.scheduler.RecordMergePolicy;
import org.planetarymesh.scheduler.FencedWrites;

/**
 * The Hazelcast configuration of a grid node. Coordinators are data members; agents are lite members
 * (they own no partitions, so a laptop leaving never moves or loses data).
 */
public final class MemberConfigs {
    static final String SPLIT_BRAIN_PROTECTION = "mesh-coordinators";

    private MemberConfigs() {
    }

    public static Config coordinator(NodeOptions options) {
        Config config = base(options);
        config.setLiteMember(false);
        return config;
    }

    public static Config agent(NodeOptions options) {
        Config config = base(options);
        config.setLiteMember(true);
        return config;
    }

    private static Config base(NodeOptions options) {
        Config config = new Config();
        config.setClusterName(options.clusterName());
        config.setInstanceName(options.name());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // Bind only where told: a lab machine may have many interfaces and the mesh must use one.
        config.setProperty("hazelcast.local.localAddress", options.bindHost());
        config.setProperty("hazelcast.socket.bind.any", "false");
        // The node's own shutdown hook stops tasks, delivers their reports, then shuts Hazelcast down;
        // Hazelcast's hook would race it and drop the reports.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
        // Hazelcast's failure detector defaults take 60 s to notice a frozen member; a lab machine that sleeps
        // must lose its tasks in seconds. Measured on this kind of machine: a frozen process is detected in
        // about 5 s, a killed one in under 1 s.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        // A member cut off (a partition, or a block that was lifted) looks for the mesh again every 10 s,
        // not after 5 and then every 2 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.getMemberAttributeConfig().setAttribute(MeshObjects.NODE_NAME_ATTRIBUTE, options.name());
        // EntryProcessor extends java.io.Serializable, so Hazelcast picks Java serialization for our entry
        // processors before zero-config Compact, and fails on the records they carry (NotSerializableException)
        // as soon as the key is owned by another member or has a backup. Registered, they are Compact like
        // the records (docs/adr/0005). All of ours are registered, so none travels Java-serialized.
        config.getSerializationConfig().getCompactSerializationConfig()
                .addClass(FencedWrites.PutTask.class)
                .addClass(FencedWrites.UpdateJob.class)
                .addClass(MapLeaderLock.NextEpoch.class)
                .addClass(NodeRegistry.Heartbeat.class)
                .addClass(NodeRegistry.SetState.class)
                .addClass(RequestCancel.class);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(options.bindHost());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        options.join().forEach(join.getTcpIpConfig()::addMember);
        if (options.join().isEmpty()) {
            join.getTcpIpConfig().addMember(options.bindHost() + ":" + options.port());
        }
        // Found with mDNS instead of listed: the discovery SPI replaces the TCP-IP member list (docs/adr/0015).
        options.discovery().ifPresent(browser -> MdnsDiscovery.configure(config, browser));

        MapConfig jobs = new MapConfig(MeshObjects.JOBS).setBackupCount(1);
        MapConfig tasks = new MapConfig(MeshObjects.TASKS).setBackupCount(1)
                // Only jobId: every task write updates each index, and state is filtered within a job anyway.
                .addIndexConfig(new IndexConfig(IndexType.HASH, "jobId"));
        MapConfig leader = new MapConfig(MeshObjects.LEADER).setBackupCount(1);
        if (options.quorum() >= 2) {
            // A minority of coordinators must not write jobs and tasks, nor take the leader lock (split
            // brain). Only data members count: agents hold no data. With a single coordinator there is no
            // minority to guard against (and Hazelcast refuses a minimum below 2).
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true)
                    .setFunctionImplementation(members -> members.stream().filter(m -> !m.isLiteMember()).count()
                            >= options.quorum())
                    .setProtectOn(SplitBrainProtectionOn.WRITE));
            jobs.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
            tasks.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
            leader.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
        }
        // After a healed split a finished copy wins, then the higher leader epoch (MergeRule), not the default
        // put-if-absent that would keep whichever side happens to be merged into.
        MergePolicyConfig byEpoch = new MergePolicyConfig(RecordMergePolicy.class.getName(), 100);
        jobs.setMergePolicyConfig(byEpoch);
        tasks.setMergePolicyConfig(byEpoch);
        config.addMapConfig(jobs);
        config.addMapConfig(tasks);
        config.addMapConfig(leader);
        config.addMapConfig(new MapConfig(MeshObjects.NODES).setBackupCount(1));
        config.addMapConfig(new MapConfig(MeshObjects.BLOCKED).setBackupCount(1));
        for (String queue : new String[] {MeshObjects.SUBMISSIONS, MeshObjects.CANCELLATIONS, MeshObjects.REPORTS}) {
            config.addQueueConfig(new QueueConfig(queue).setBackupCount(1));
        }
        config.addExecutorConfig(new ExecutorConfig(MeshObjects.DISPATCH).setPoolSize(4));
        return config;
    }
}
