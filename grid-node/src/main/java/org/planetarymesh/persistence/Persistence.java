package org.planetarymesh.persistence;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's persistence: one {@link JdbcMapStore} per stored map, configured on the coordinator's
 * Hazelcast config before the member starts (docs/adr/0017). Every stored map is loaded eagerly when the mesh
 * first uses it, so after a restart of every coordinator the maps hold what the database holds before the
 * leader's take-over reads them.
 *
 * <p>How each map is written:
 * <ul>
 *   <li>{@code mesh.jobs}, {@code mesh.blocked}, {@code mesh.leader}: <b>write-through</b>. A job is stored when
 *       {@code submit} returns (the acceptance point), a block when {@code block} returns, and an epoch before the
 *       leader writes with it. These maps change at most once per job per leader round.</li>
 *   <li>{@code mesh.tasks}, {@code mesh.nodes}: <b>write-behind</b>, {@value #WRITE_DELAY_SECONDS} s, coalesced,
 *       stored in batches of up to {@value #WRITE_BATCH_SIZE} per partition in one transaction each; the queue of
 *       pending writes has a backup like the entries.</li>
 * </ul>
 */
public final class Persistence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    static final int WRITE_DELAY_SECONDS = 1;
    static final int WRITE_BATCH_SIZE = 1000;

    /** How one map is stored. */
    record StoredMap(String name, Class<?> type, boolean writeThrough) {
    }

    /** Every map that survives a restart of all coordinators. The queues and the executor do not. */
    static final List<StoredMap> MAPS = List.of(
            new StoredMap(MeshObjects.JOBS, JobRecord.class, true),
            new StoredMap(MeshObjects.TASKS, TaskRecord.class, false),
            new StoredMap(MeshObjects.NODES, NodeRecord.class, false),
            new StoredMap(MeshObjects.BLOCKED, BlockRecord.class, true),
            // Only the key "epoch" is an entry (the lock is not): a new leader after a full restart gets a
            // higher epoch than any record was written with.
            new StoredMap(MeshObjects.LEADER, Long.class, true));

    private final PersistenceOptions options;
    private final Database database;
    private final LongSupplier clock;
    /** True until {@link #restore} has loaded every map on this member. */
    private final AtomicBoolean restoring = new AtomicBoolean(true);

    private Persistence(PersistenceOptions options, Database database, LongSupplier clock) {
        this.options = options;
        this.database = database;
        this.clock = clock;
    }

    /** Opens the database (a connection is tried at once, so a wrong URL stops the start). */
    public static Persistence open(PersistenceOptions options) {
        Database database = Database.open(options.jdbcUrl(), options.user(), options.password());
        LOG.info("persistence on database={} embedded={}", database.describe(), options.embedded());
        return new Persistence(options, database, System::currentTimeMillis);
    }

    public PersistenceOptions options() {
        return options;
    }

    /** Adds a map store to each stored map of a coordinator's config (map configs are created if absent). */
    public Config configure(Config config) {
        // Hazelcast's split-brain protection refuses the operations that load a map (they are mutating) on a member
        // below its quorum, and a map whose initial load failed stays unloaded. The first coordinator of a restarted
        // mesh is alone for a while, so while this member restores, its protection lets everything through; it is
        // evaluated again every heartbeat (1 s), so it holds from at most 1 s after the restore.
        for (SplitBrainProtectionConfig protection : config.getSplitBrainProtectionConfigs().values()) {
            SplitBrainProtectionFunction quorum = protection.getFunctionImplementation();
            if (quorum != null) {
                protection.setFunctionImplementation(members -> restoring.get() || quorum.apply(members));
            }
        }
        for (StoredMap map : MAPS) {
            config.getMapConfig(map.name()).setMapStoreConfig(
                    storeConfig(new JdbcMapStore<>(database, map.name(), map.type(), clock), map.writeThrough()));
        }
        return config;
    }

    /** How a map store is run: loaded eagerly; written through, or behind with coalescing and batches. */
    static MapStoreConfig storeConfig(JdbcMapStore<?> store, boolean writeThrough) {
        return new MapStoreConfig()
                .setEnabled(true)
                .setImplementation(store)
                .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER)
                .setWriteDelaySeconds(writeThrough ? 0 : WRITE_DELAY_SECONDS)
                .setWriteBatchSize(WRITE_BATCH_SIZE)
                .setWriteCoalescing(true);
    }

    /**
     * Creates every stored map on the member, which loads it from the database if the mesh has not loaded it yet
     * (eager loading: each {@code getMap} returns once its map is loaded), then starts {@link #watch watching}
     * the membership. Logs what was restored and how long it took.
     */
    public void restore(HazelcastInstance hz) {
        long start = System.nanoTime();
        awaitProtectionRelaxed(hz);
        // One map after another: loading them in parallel (each size() waits on Hazelcast's small key-loading
        // executor) starved one map's load for good under load on 2 cores, and the coordinator never became ready.
        try {
            List<String> sizes = new ArrayList<>();
            for (StoredMap map : MAPS) {
                sizes.add(map.name().substring(MeshObjects.PREFIX.length()) + "=" + hz.getMap(map.name()).size());
            }
            LOG.info("persistence ready in {} ms: {} database={}", (System.nanoTime() - start) / 1_000_000,
                    String.join(" ", sizes), database.describe());
        } finally {
            restoring.set(false);
        }
        watch(hz);
    }

    /**
     * Waits until every split-brain protection of the member has evaluated its function with {@link #restoring} set
     * (a member's protections start out "absent" until their first evaluation, at the latest after one heartbeat).
     */
    private void awaitProtectionRelaxed(HazelcastInstance hz) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String name : hz.getConfig().getSplitBrainProtectionConfigs().keySet()) {
            SplitBrainProtection protection = hz.getSplitBrainProtectionService().getSplitBrainProtection(name);
            while (!protection.hasMinimumSize()) {
                if (System.nanoTime() > deadline) {
                    throw new MeshException("persistence: split-brain protection " + name + " still refuses the"
                            + " restore after 30 s");
                }
                try {
                    Thread.sleep(20); // Hazelcast offers no event for this; it re-evaluates every heartbeat
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MeshException("interrupted while restoring", e);
                }
            }
        }
    }

    /**
     * Warns once per change of membership when several coordinators run on embedded databases: each would hold only
     * what its own member stored, and a full restart would restore an incomplete or stale mix (docs/adr/0017).
     */
    void watch(HazelcastInstance hz) {
        if (!options.embedded()) {
            return;
        }
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                check(event);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                // fewer coordinators is never worse
            }
        });
    }

    private static void check(MembershipEvent event) {
        long coordinators = event.getMembers().stream().filter(m -> !m.isLiteMember()).count();
        if (coordinators > 1 && !event.getMember().isLiteMember()) {
            LOG.warn("persistence: {} coordinators each store into their own embedded database; a restart of all of"
                    + " them restores only part of the mesh: give every coordinator the same --db-url", coordinators);
        }
    }

    /** Closes the database; call after the member has shut down (which stores what write-behind still holds). */
    @Override
    public void close() {
        database.close();
        LOG.info("persistence closed database={}", database.describe());
    }
}
