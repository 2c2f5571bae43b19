package org.planetarymesh.persistence;

import java.util.Locale;
import org.planetarymesh.submitter.MeshException;

/**
 * The SQL that differs between the databases the mesh supports: the type of the JSON column and the upsert. Every
 * table has the same three columns: {@code id} (the map key), {@code json} (the value) and {@code updated_at}
 * (epoch millis of the last store, for people and tools reading the database).
 */
enum Dialect {
    /** H2 2.x: a VARCHAR without a length holds up to 1,000,000,000 characters and is stored in the row. */
    H2("VARCHAR", "MERGE INTO %s (id, json, updated_at) KEY (id) VALUES (?, ?, ?)"),
    POSTGRESQL("TEXT", "INSERT INTO %s (id, json, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET json = EXCLUDED.json, updated_at = EXCLUDED.updated_at");

    private final String textType;
    private final String upsert;

    Dialect(String textType, String upsert) {
        this.textType = textType;
        this.upsert = upsert;
    }

    /** The dialect of a JDBC URL; only H2 and PostgreSQL are supported. */
    static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new MeshException("unsupported database URL '" + redact(jdbcUrl)
                + "': the mesh stores its maps in H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql://...)");
    }

    String createTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(512) PRIMARY KEY, json " + textType
                + " NOT NULL, updated_at BIGINT NOT NULL)";
    }

    String upsert(String table) {
        return String.format(Locale.ROOT, upsert, table);
    }

    /** A URL as it may be logged: without anything after the first ';' or '?' (H2 and JDBC put passwords there). */
    static String redact(String jdbcUrl) {
        int cut = jdbcUrl.length();
        for (char c : new char[] {';', '?'}) {
            int at = jdbcUrl.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return cut < jdbcUrl.length() ? jdbcUrl.substring(0, cut) + "..." : jdbcUrl;
    }
}
