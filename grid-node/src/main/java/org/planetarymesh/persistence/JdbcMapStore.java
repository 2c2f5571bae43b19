package org.planetarymesh.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hazelcast {@link MapStore} of one mesh map in one table of a JDBC {@link Database}: the key in {@code id},
 * the value as JSON (Jackson, so the stored records stay readable with SQL and evolve as ADR 0005's rules say:
 * a missing component reads as null or 0, an unknown one is ignored), and the time of the store in
 * {@code updated_at}. The table is created if absent.
 *
 * <p>{@link #storeAll} and {@link #deleteAll} run as one JDBC batch in one transaction, which is what makes
 * write-behind cheap: Hazelcast hands a partition's coalesced changes over in one call.
 *
 * @param <V> the stored record type
 */
public final class JdbcMapStore<V> implements MapStore<String, V>, MapLoaderLifecycleSupport {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMapStore.class);
    /** Keys per {@code IN (...)} list: well below every database's limit of bind parameters. */
    static final int KEYS_PER_QUERY = 500;
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Database database;
    private final String mapName;
    private final String table;
    private final Class<V> type;
    private final LongSupplier clock;

    JdbcMapStore(Database database, String mapName, Class<V> type, LongSupplier clock) {
        this.database = database;
        this.mapName = mapName;
        this.table = tableOf(mapName);
        this.type = type;
        this.clock = clock;
    }

    /** The table of a map: {@code mesh.tasks} is stored in {@code mesh_tasks}. */
    static String tableOf(String mapName) {
        return mapName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    String table() {
        return table;
    }

    /** Creates the table if it does not exist yet. */
    void createTable() {
        database.call(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(database.dialect().createTable(table));
            }
            return null;
        });
    }

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String name) {
        createTable();
    }

    @Override
    public void destroy() {
        // The database belongs to the coordinator, which closes it after Hazelcast has stopped.
    }

    @Override
    public void store(String key, V value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<String, V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        database.inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsert(table))) {
                for (Map.Entry<String, V> entry : entries.entrySet()) {
                    upsert.setString(1, entry.getKey());
                    upsert.setString(2, toJson(entry.getValue()));
                    upsert.setLong(3, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            for (List<String> chunk : chunks(keys)) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id IN ("
                        + placeholders(chunk.size()) + ")")) {
                    bind(delete, chunk);
                    delete.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Returns null without asking the database. The map is loaded eagerly and never evicts, and every write reaches
     * the database through it, so a key the map lacks is not stored either; Hazelcast calls this on every write of
     * a new key by an entry processor (each task the leader creates), where a query per key cut the leader's write
     * rate by more than half (measured, see {@code PersistenceBench}). {@link #loadAll} still reads the database.
     */
    @Override
    public V load(String key) {
        return null;
    }

    @Override
    public Map<String, V> loadAll(Collection<String> keys) {
        Map<String, V> loaded = new HashMap<>();
        if (keys.isEmpty()) {
            return loaded;
        }
        database.call(connection -> {
            for (List<String> chunk : chunks(keys)) {
                try (PreparedStatement select = connection.prepareStatement("SELECT id, json FROM " + table
                        + " WHERE id IN (" + placeholders(chunk.size()) + ")")) {
                    bind(select, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            readInto(loaded, rows.getString(1), rows.getString(2));
                        }
                    }
                }
            }
            return null;
        });
        return loaded;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> keys = database.call(connection -> {
            List<String> all = new ArrayList<>();
            try (Statement select = connection.createStatement();
                 ResultSet rows = select.executeQuery("SELECT id FROM " + table)) {
                while (rows.next()) {
                    all.add(rows.getString(1));
                }
            }
            return all;
        });
        LOG.info("persistence restoring map={} entries={} database={}", mapName, keys.size(), database.describe());
        return keys;
    }

    /**
     * Adds a stored entry; one that cannot be read is left out and logged: a failed load would leave the whole map
     * unloaded (Hazelcast does not retry an initial load), and the row stays in the table until its key is stored
     * again.
     */
    private void readInto(Map<String, V> loaded, String key, String json) {
        try {
            loaded.put(key, fromJson(key, json));
        } catch (MeshException e) {
            LOG.error("persistence: stored entry left out, it cannot be read map={} key={} reason={}", mapName, key,
                    e.getMessage());
        }
    }

    private String toJson(V value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MeshException("cannot store " + mapName + " entry as JSON: " + e.getMessage(), e);
        }
    }

    private V fromJson(String key, String json) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MeshException("cannot read stored " + mapName + " entry '" + key + "' from table " + table
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    private static List<List<String>> chunks(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            chunks.add(all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY)));
        }
        return chunks;
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static void bind(PreparedStatement statement, List<String> keys) throws java.sql.SQLException {
        for (int i = 0; i < keys.size(); i++) {
            statement.setString(i + 1, keys.get(i));
        }
    }
}
