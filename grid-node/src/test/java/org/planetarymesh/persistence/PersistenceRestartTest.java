package org.planetarymesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aNode;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.scheduler.FencedWrites;
import org.planetarymesh.scheduler.MapLeaderLock;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.TestCluster;

/**
 * Coordinators with persistence on Hazelcast's mock network: what they stored is there again when new coordinators
 * start on the same database after every old one is gone. Each "restart" is a new cluster, as after a real one.
 */
class PersistenceRestartTest {
    private static final Duration WRITE_BEHIND_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final List<TestCluster> clusters = new ArrayList<>();
    private final List<Persistence> opened = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        clusters.forEach(TestCluster::close);
        opened.forEach(Persistence::close);
    }

    private TestCluster newCluster() {
        TestCluster cluster = TestCluster.start();
        clusters.add(cluster);
        return cluster;
    }

    /** What {@code Coordinator.start} does with persistence: configure, start the member, restore. */
    private HazelcastInstance coordinator(TestCluster cluster, NodeOptions node, PersistenceOptions options) {
        Persistence persistence = Persistence.open(options);
        opened.add(persistence);
        HazelcastInstance hz = cluster.member(persistence.configure(MemberConfigs.coordinator(node)));
        persistence.restore(hz);
        return hz;
    }

    private HazelcastInstance coordinator(TestCluster cluster, String name) {
        return coordinator(cluster, cluster.options(name), PersistenceOptions.h2In(dataDir));
    }

    private static <V> IMap<String, V> map(HazelcastInstance hz, String name) {
        return hz.getMap(name);
    }

    /** The leader's way of writing tasks: the fenced entry processor, all submitted at once and awaited. */
    private static Map<String, TaskRecord> writeTasks(HazelcastInstance hz, String jobId, int count, long epoch) {
        IMap<String, TaskRecord> tasks = map(hz, MeshObjects.TASKS);
        Map<String, TaskRecord> written = new HashMap<>();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TaskRecord task = aTask(jobId, i).in(i % 2 == 0 ? TaskState.SUCCEEDED : TaskState.RUNNING)
                    .writtenBy(epoch).build();
            written.put(task.taskId(), task);
            writes.add(tasks.submitToKey(task.taskId(), new FencedWrites.PutTask(epoch, task)).toCompletableFuture());
        }
        writes.forEach(CompletableFuture::join);
        return written;
    }

    /** Tasks in the database, read by a store of its own. */
    private int storedTasks() {
        try (Database database = Database.open(PersistenceOptions.h2In(dataDir).jdbcUrl(), null, null)) {
            JdbcMapStore<TaskRecord> store = new JdbcMapStore<>(database, MeshObjects.TASKS, TaskRecord.class,
                    System::currentTimeMillis);
            List<String> keys = new ArrayList<>();
            store.loadAllKeys().forEach(keys::add);
            return store.loadAll(keys).size();
        }
    }

    @Test
    void when_theOnlyCoordinatorStopsAndANewOneStartsOnItsDataDir_then_everyStoredMapIsLoadedBeforeStartReturns()
            throws InterruptedException {
        HazelcastInstance before = coordinator(newCluster(), "coordinator-1");
        long epoch = new MapLeaderLock(before).tryAcquire(Duration.ofSeconds(1)).orElseThrow();
        JobRecord job = anAcceptedJob(aJobId(), aSweep(2_000)).withTasksCreated(epoch);
        map(before, MeshObjects.JOBS).set(job.jobId(), job);
        Map<String, TaskRecord> tasks = writeTasks(before, job.jobId(), 2_000, epoch);
        NodeRecord node = aNode("agent-1").heartbeat(1, 200).build();
        map(before, MeshObjects.NODES).set(node.name(), node);
        BlockRecord block = new BlockRecord("agent-7", "stolen", "alice", 5);
        map(before, MeshObjects.BLOCKED).set(block.name(), block);
        before.shutdown(); // graceful: stores what write-behind still holds

        long start = System.nanoTime();
        HazelcastInstance after = coordinator(newCluster(), "coordinator-1");
        System.out.printf("restore of 2,000 tasks into a new coordinator: %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        // No waiting: start-up returns once every stored map is loaded.
        assertThat(map(after, MeshObjects.TASKS).getAll(tasks.keySet())).isEqualTo(tasks);
        assertThat(map(after, MeshObjects.TASKS).size()).isEqualTo(2_000);
        assertThat(map(after, MeshObjects.JOBS).get(job.jobId())).isEqualTo(job);
        assertThat(map(after, MeshObjects.NODES).get(node.name())).isEqualTo(node);
        assertThat(map(after, MeshObjects.BLOCKED).get(block.name())).isEqualTo(block);
        // The epoch was stored: the first leader after the restart leads with a higher one.
        assertThat(new MapLeaderLock(after).tryAcquire(Duration.ofSeconds(1))).hasValue(epoch + 1);
    }

    @Test
    void when_theOnlyCoordinatorIsKilled_then_acceptedJobsSurviveAndTasksOlderThanTheWriteDelayToo() {
        TestCluster cluster = newCluster();
        HazelcastInstance before = coordinator(cluster, "coordinator-1");
        JobRecord job = anAcceptedJob(aJobId(), aSweep(500)).withTasksCreated(1);
        map(before, MeshObjects.JOBS).set(job.jobId(), job);
        Map<String, TaskRecord> tasks = writeTasks(before, job.jobId(), 500, 1);
        await().atMost(WRITE_BEHIND_BOUND).until(() -> storedTasks() == 500);
        JobRecord acceptedLast = anAcceptedJob(aJobId(), aSweep(3));
        map(before, MeshObjects.JOBS).set(acceptedLast.jobId(), acceptedLast);
        cluster.terminate(before); // like kill -9: no graceful flush

        HazelcastInstance after = coordinator(newCluster(), "coordinator-1");

        assertThat(map(after, MeshObjects.JOBS).get(acceptedLast.jobId())).as("accepted just before the kill")
                .isEqualTo(acceptedLast);
        assertThat(map(after, MeshObjects.JOBS).get(job.jobId())).isEqualTo(job);
        assertThat(map(after, MeshObjects.TASKS).getAll(tasks.keySet())).isEqualTo(tasks);
    }

    @Test
    void when_twoCoordinatorsShareOneDatabaseAndBothStop_then_twoNewOnesRestoreEveryEntryWithAQuorumOfTwo() {
        restoreTwoCoordinatorsSharing(PersistenceOptions.h2In(dataDir));
    }

    /** The same on a PostgreSQL server, when one is given (see {@code JdbcMapStorePostgresTest}); its tables are reset. */
    @Test
    @EnabledIfEnvironmentVariable(named = "MESH_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
    void when_twoCoordinatorsSharePostgresqlAndBothStop_then_twoNewOnesRestoreEveryEntryWithAQuorumOfTwo() {
        PersistenceOptions postgres = new PersistenceOptions(System.getenv("MESH_TEST_POSTGRES_URL"),
                System.getenv("MESH_TEST_POSTGRES_USER"), System.getenv(PersistenceOptions.PASSWORD_VARIABLE));
        try (Database database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            database.call(connection -> {
                try (java.sql.Statement statement = connection.createStatement()) {
                    for (Persistence.StoredMap map : Persistence.MAPS) {
                        statement.execute("DROP TABLE IF EXISTS " + JdbcMapStore.tableOf(map.name()));
                    }
                }
                return null;
            });
        }
        restoreTwoCoordinatorsSharing(postgres);
    }

    private void restoreTwoCoordinatorsSharing(PersistenceOptions shared) {
        TestCluster first = newCluster();
        HazelcastInstance a = coordinator(first, withQuorum(first.options("coordinator-1"), 2), shared);
        HazelcastInstance b = coordinator(first, withQuorum(first.options("coordinator-2"), 2), shared);
        JobRecord job = anAcceptedJob(aJobId(), aSweep(3_000)).withTasksCreated(1);
        map(a, MeshObjects.JOBS).set(job.jobId(), job);
        Map<String, TaskRecord> tasks = writeTasks(b, job.jobId(), 3_000, 1);
        b.shutdown();
        a.shutdown();

        // Restarted one after the other, as processes are: the first restores alone, below its quorum.
        TestCluster second = newCluster();
        HazelcastInstance c = coordinator(second, withQuorum(second.options("coordinator-1"), 2), shared);
        HazelcastInstance d = coordinator(second, withQuorum(second.options("coordinator-2"), 2), shared);

        assertThat(map(d, MeshObjects.TASKS).getAll(tasks.keySet())).isEqualTo(tasks);
        assertThat(map(c, MeshObjects.JOBS).get(job.jobId())).isEqualTo(job);
        // Restored, the coordinators' quorum holds again: a lone one may not write.
        d.shutdown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> map(c, MeshObjects.JOBS).set(job.jobId(), job)).isInstanceOf(
                SplitBrainProtectionException.class));
    }

    private static NodeOptions withQuorum(NodeOptions o, int quorum) {
        return new NodeOptions(o.name(), o.bindHost(), o.port(), o.join(), o.clusterName(), quorum, o.slots(),
                o.labels(), o.workDir());
    }
}
