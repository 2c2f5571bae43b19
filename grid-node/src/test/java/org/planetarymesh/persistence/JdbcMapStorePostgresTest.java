package org.planetarymesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aTask;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.TaskState;

/**
 * The map store on a PostgreSQL server, when one is given: {@code MESH_TEST_POSTGRES_URL} (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/mesh}), {@code MESH_TEST_POSTGRES_USER} and {@code MESH_DB_PASSWORD}.
 * Skipped otherwise (the build machine has no server). Each run uses tables of its own and drops them.
 */
@EnabledIfEnvironmentVariable(named = "MESH_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class JdbcMapStorePostgresTest {
    private final String map = "mesh.test_" + UUID.randomUUID().toString().substring(0, 8);
    private Database database;
    private JdbcMapStore<TaskRecord> store;

    @BeforeEach
    void open() {
        database = Database.open(System.getenv("MESH_TEST_POSTGRES_URL"), System.getenv("MESH_TEST_POSTGRES_USER"),
                System.getenv(PersistenceOptions.PASSWORD_VARIABLE));
        store = new JdbcMapStore<>(database, map, TaskRecord.class, System::currentTimeMillis);
        store.init(null, new Properties(), map);
    }

    @AfterEach
    void dropAndClose() {
        database.call(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + store.table());
            }
            return null;
        });
        database.close();
    }

    @Test
    void when_entriesAreStoredUpdatedAndDeleted_then_theTableHoldsExactlyTheLatestOnes() {
        String jobId = aJobId();
        Map<String, TaskRecord> batch = new LinkedHashMap<>();
        for (int i = 0; i < JdbcMapStore.KEYS_PER_QUERY + 20; i++) {
            TaskRecord task = aTask(jobId, i).build();
            batch.put(task.taskId(), task);
        }
        store.storeAll(batch);
        TaskRecord running = aTask(jobId, 0).in(TaskState.RUNNING).build();
        store.store(running.taskId(), running); // an upsert of an existing key
        batch.put(running.taskId(), running);
        store.init(null, new Properties(), map); // the table exists already
        List<String> deleted = new ArrayList<>(batch.keySet()).subList(1, 11);
        store.deleteAll(deleted);
        deleted.forEach(batch::remove);

        List<String> keys = new ArrayList<>();
        store.loadAllKeys().forEach(keys::add);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(batch.keySet());
        assertThat(store.loadAll(keys)).isEqualTo(batch);
    }
}
