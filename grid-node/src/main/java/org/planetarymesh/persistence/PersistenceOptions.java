package org.planetarymesh.persistence;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a coordinator stores the mesh's maps.
 *
 * @param jdbcUrl  a JDBC URL of H2 or PostgreSQL
 * @param user     the database user, null for none
 * @param password the database password, null for none (from {@code MESH_DB_PASSWORD}, never from the command line)
 */
public record PersistenceOptions(String jdbcUrl, String user, String password) {
    /** The environment variable that carries the database password. */
    public static final String PASSWORD_VARIABLE = "MESH_DB_PASSWORD";

    public PersistenceOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    /**
     * The default: an embedded H2 file database {@code <dataDir>/db}, for the one coordinator that owns it.
     * {@code WRITE_DELAY=0}: H2 writes each commit to the file before the commit returns (by default it waits up
     * to 500 ms), so a store that returned survives the death of the process.
     */
    public static PersistenceOptions h2In(Path dataDir) {
        String path = dataDir.toAbsolutePath().normalize().resolve("db").toString().replace('\\', '/');
        return new PersistenceOptions("jdbc:h2:file:" + path + ";WRITE_DELAY=0", null, null);
    }

    /**
     * True when this is an embedded database that only its own process can open: then each coordinator has its
     * own, and only a mesh with a single coordinator restores completely (docs/adr/0017).
     */
    public boolean embedded() {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")
                && !url.contains("auto_server=true");
    }

    @Override
    public String toString() {
        return "PersistenceOptions[" + Dialect.redact(jdbcUrl) + (user != null ? ", user " + user : "") + "]";
    }
}
