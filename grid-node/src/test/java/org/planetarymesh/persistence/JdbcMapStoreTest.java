package org.planetarymesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aNode;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;

/** The map store on an H2 file database in a temporary directory, reopened where a test says so. */
class JdbcMapStoreTest {
    @TempDir
    Path dataDir;

    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<Database> opened = new ArrayList<>();

    private Database database;

    @BeforeEach
    void open() {
        database = reopen();
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private Database reopen() {
        Database db = Database.open(PersistenceOptions.h2In(dataDir).jdbcUrl(), null, null);
        opened.add(db);
        return db;
    }

    private <V> JdbcMapStore<V> store(Database db, String map, Class<V> type) {
        JdbcMapStore<V> store = new JdbcMapStore<>(db, map, type, clock::get);
        store.init(null, new Properties(), map);
        return store;
    }

    private JdbcMapStore<TaskRecord> tasks() {
        return store(database, MeshObjects.TASKS, TaskRecord.class);
    }

    @Test
    void when_storeIsInitialised_then_itsTableExistsAndIsEmpty() {
        JdbcMapStore<TaskRecord> tasks = tasks();

        assertThat(tasks.table()).isEqualTo("mesh_tasks");
        assertThat(tasks.loadAllKeys()).isEmpty();
        assertThat(columns("mesh_tasks")).containsExactly("ID", "JSON", "UPDATED_AT");
    }

    @Test
    void when_aTableExistsAlready_then_initKeepsItsRows() {
        TaskRecord task = aTask().build();
        tasks().store(task.taskId(), task);

        assertThat(load(tasks(), task.taskId())).isEqualTo(task);
    }

    @Test
    void when_aTaskInEveryStateIsStored_then_loadReadsEachBackEqual() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        String jobId = aJobId();
        List<TaskRecord> all = new ArrayList<>();
        int index = 0;
        for (TaskState state : TaskState.values()) {
            TaskRecord task = aTask(jobId, index++).withMaxAttempts(1).in(state).build();
            all.add(task);
            tasks.store(task.taskId(), task);
        }
        all.add(aTask(jobId, index).failedOn("agent-2").assignedTo("agent-3").running().build());
        tasks.store(all.get(all.size() - 1).taskId(), all.get(all.size() - 1));

        for (TaskRecord task : all) {
            assertThat(load(tasks, task.taskId())).isEqualTo(task);
        }
    }

    @Test
    void when_everyStoredRecordTypeIsStored_then_eachReadsBackEqual() {
        JobRecord job = anAcceptedJob(aJobId(), aSweep(3)).withTasksCreated(4)
                .withCounts(new StateCounts(1, 1, 1, 0, 0, 0, 0, 0), 5_000, 4).withCancelRequested();
        NodeRecord node = aNode("agent-1").labelled("gpu").heartbeat(2, 350).build();
        BlockRecord block = new BlockRecord("agent-7", "laptop stolen", "alice", 42);
        JdbcMapStore<JobRecord> jobs = store(database, MeshObjects.JOBS, JobRecord.class);
        JdbcMapStore<NodeRecord> nodes = store(database, MeshObjects.NODES, NodeRecord.class);
        JdbcMapStore<BlockRecord> blocked = store(database, MeshObjects.BLOCKED, BlockRecord.class);
        JdbcMapStore<Long> leader = store(database, MeshObjects.LEADER, Long.class);

        jobs.store(job.jobId(), job);
        nodes.store(node.name(), node);
        blocked.store(block.name(), block);
        leader.store("epoch", 12L);

        assertThat(load(jobs, job.jobId())).isEqualTo(job);
        assertThat(load(nodes, node.name())).isEqualTo(node);
        assertThat(load(blocked, block.name())).isEqualTo(block);
        assertThat(load(leader, "epoch")).isEqualTo(12L);
    }

    @Test
    void when_recordsCarryResourcesProtectionsAndUsage_then_eachReadsBackEqual() {
        JobSpec spec = JobSpec.builder("sandboxed").command("run", "{x}").param("x", List.of(1, 2))
                .resources(new Resources(0.5, 256L << 20, 2L << 30, 64)).network(NetworkAccess.NONE)
                .requires(Protection.MEMORY_LIMIT, Protection.PID_ISOLATION).build();
        JobRecord job = anAcceptedJob(aJobId(), spec);
        TaskRecord evicted = aTask(job.jobId(), 0).assignedTo("agent-1").running().evicted().build();
        NodeRecord node = aNode("agent-1").offering("memory-limit", "no-network").unavailable("paused by its owner")
                .heartbeat(1, 300).build();
        JdbcMapStore<JobRecord> jobs = store(database, MeshObjects.JOBS, JobRecord.class);
        JdbcMapStore<NodeRecord> nodes = store(database, MeshObjects.NODES, NodeRecord.class);
        JdbcMapStore<TaskRecord> tasks = tasks();

        jobs.store(job.jobId(), job);
        tasks.store(evicted.taskId(), evicted);
        nodes.store(node.name(), node);

        assertThat(load(jobs, job.jobId())).isEqualTo(job);
        assertThat(JobSpec.parse(load(jobs, job.jobId()).specJson())).isEqualTo(spec);
        assertThat(load(tasks, evicted.taskId())).isEqualTo(evicted);
        assertThat(load(tasks, evicted.taskId()).cpuMillis()).isEqualTo(1_200);
        assertThat(load(nodes, node.name())).isEqualTo(node);
        assertThat(load(nodes, node.name()).unavailableReason()).isEqualTo("paused by its owner");
    }

    @Test
    void when_aTaskWasStoredBeforeUsageWasRecorded_then_itsUsageReadsAsUnknown() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord task = aTask(aJobId(), 0).assignedTo("agent-1").running().succeeded().build();
        String json = JdbcMapStore.JSON.valueToTree(task).toString()
                .replace(",\"evictions\":0,\"cpuMillis\":null,\"peakMemoryBytes\":null", "");
        assertThat(json).doesNotContain("cpuMillis");
        execute("INSERT INTO mesh_tasks (id, json, updated_at) VALUES ('" + task.taskId() + "', '"
                + json.replace("'", "''") + "', 0)");

        TaskRecord read = load(tasks, task.taskId());

        assertThat(read).isEqualTo(task);
        assertThat(read.cpuMillis()).isNull();
        assertThat(read.evictions()).isZero();
    }

    @Test
    void when_aKeyIsStoredTwice_then_theLaterValueAndTimeWin() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord queued = aTask().build();
        TaskRecord running = aTask().in(TaskState.RUNNING).build();

        tasks.store(queued.taskId(), queued);
        clock.set(2_000);
        tasks.store(queued.taskId(), running);

        assertThat(load(tasks, queued.taskId())).isEqualTo(running);
        assertThat(tasks.loadAllKeys()).containsExactly(queued.taskId());
        assertThat(updatedAt("mesh_tasks", queued.taskId())).isEqualTo(2_000);
    }

    @Test
    void when_manyEntriesAreStoredAtOnce_then_loadAllAndLoadAllKeysReturnEveryOne() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        String jobId = aJobId();
        Map<String, TaskRecord> batch = new LinkedHashMap<>();
        // More than one IN list's worth, so loadAll and deleteAll split their queries.
        for (int i = 0; i < JdbcMapStore.KEYS_PER_QUERY * 2 + 7; i++) {
            TaskRecord task = aTask(jobId, i).build();
            batch.put(task.taskId(), task);
        }

        tasks.storeAll(batch);

        assertThat(tasks.loadAllKeys()).containsExactlyInAnyOrderElementsOf(batch.keySet());
        assertThat(tasks.loadAll(batch.keySet())).isEqualTo(batch);
    }

    @Test
    void when_someKeysAreNotStored_then_loadAllReturnsOnlyTheStoredOnesAndLoadReturnsNull() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord task = aTask(aJobId(), 0).build();
        tasks.store(task.taskId(), task);

        assertThat(tasks.loadAll(List.of(task.taskId(), "missing/0"))).containsOnlyKeys(task.taskId());
        assertThat(load(tasks, "missing/0")).isNull();
        assertThat(tasks.loadAll(List.of())).isEmpty();
    }

    @Test
    void when_entriesAreDeleted_then_theyAreNoLongerLoaded() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        String jobId = aJobId();
        Map<String, TaskRecord> batch = new HashMap<>();
        for (int i = 0; i < JdbcMapStore.KEYS_PER_QUERY + 3; i++) {
            TaskRecord task = aTask(jobId, i).build();
            batch.put(task.taskId(), task);
        }
        tasks.storeAll(batch);
        List<String> keys = new ArrayList<>(batch.keySet());
        String kept = keys.remove(0);
        String deletedAlone = keys.remove(0);

        tasks.delete(deletedAlone);
        tasks.deleteAll(keys);
        tasks.deleteAll(List.of());
        tasks.delete("never-stored");

        assertThat(tasks.loadAllKeys()).containsExactly(kept);
        assertThat(load(tasks, deletedAlone)).isNull();
    }

    @Test
    void when_theDatabaseIsClosedAndReopened_then_everyStoredEntryIsStillThere() {
        TaskRecord task = aTask(aJobId(), 0).in(TaskState.SUCCEEDED).build();
        tasks().store(task.taskId(), task);
        database.close();

        JdbcMapStore<TaskRecord> reopened = store(reopen(), MeshObjects.TASKS, TaskRecord.class);

        assertThat(reopened.loadAllKeys()).containsExactly(task.taskId());
        assertThat(load(reopened, task.taskId())).isEqualTo(task);
    }

    @Test
    void when_oneEntryOfABatchCannotBeStored_then_noneOfTheBatchIsStored() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord task = aTask(aJobId(), 0).build();
        Map<String, TaskRecord> batch = new LinkedHashMap<>();
        batch.put(task.taskId(), task);
        batch.put("x".repeat(600), task); // longer than the id column

        assertThatThrownBy(() -> tasks.storeAll(batch)).isInstanceOf(MeshException.class);

        assertThat(tasks.loadAllKeys()).isEmpty();
    }

    @Test
    void when_aStoredRowHasFieldsThisVersionDoesNotKnowOrLacksSome_then_itIsReadWithDefaults() {
        JdbcMapStore<BlockRecord> blocked = store(database, MeshObjects.BLOCKED, BlockRecord.class);
        execute("INSERT INTO mesh_blocked (id, json, updated_at) VALUES ('agent-9',"
                + " '{\"name\":\"agent-9\",\"reason\":\"old\",\"since\":\"a field of a newer version\"}', 0)");

        assertThat(load(blocked, "agent-9")).isEqualTo(new BlockRecord("agent-9", "old", null, 0));
    }

    @Test
    void when_aStoredRowCannotBeRead_then_loadAllLeavesItOutAndLoadsTheOthers() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord task = aTask(aJobId(), 0).build();
        tasks.store(task.taskId(), task);
        execute("INSERT INTO mesh_tasks (id, json, updated_at) VALUES ('broken/0', '{\"state\":\"EXPLODED\"}', 0)");

        assertThat(tasks.loadAll(List.of(task.taskId(), "broken/0"))).containsOnlyKeys(task.taskId());
    }

    @Test
    void when_theUrlIsNeitherH2NorPostgresql_then_openingIsRefusedWithoutTheSettings() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://db/mesh?password=secret", null, null))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("jdbc:mysql://db/mesh...")
                .hasMessageNotContaining("secret");
    }

    /** One entry as the initial load reads it (loadAll: load itself never asks the database). */
    private static <V> V load(JdbcMapStore<V> store, String key) {
        return store.loadAll(List.of(key)).get(key);
    }

    @Test
    void when_aKeyIsLoadedAlone_then_theDatabaseIsNotAsked() {
        JdbcMapStore<TaskRecord> tasks = tasks();
        TaskRecord task = aTask(aJobId(), 0).build();
        tasks.store(task.taskId(), task);

        assertThat(tasks.load(task.taskId())).as("the map holds every stored entry already").isNull();
    }

    private List<String> columns(String table) {
        return database.call(connection -> {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = connection.getMetaData().getColumns(null, null, table.toUpperCase(), null)) {
                while (rows.next()) {
                    names.add(rows.getString("COLUMN_NAME"));
                }
            }
            return names;
        });
    }

    private long updatedAt(String table, String id) {
        return database.call(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT updated_at FROM " + table + " WHERE id = '" + id
                         + "'")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    private void execute(String sql) {
        database.call(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }
}
