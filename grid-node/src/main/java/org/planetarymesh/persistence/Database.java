package org.planetarymesh.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import org.planetarymesh.submitter.MeshException;

/**
 * One JDBC database of a coordinator, with a few pooled connections. Hazelcast calls the map stores from several
 * threads at once (partition threads for write-through, write-behind and loader threads), and a JDBC connection
 * carries one transaction at a time, so each call borrows a connection of its own. A connection whose call failed
 * is closed rather than reused (it may be broken, or in the middle of a transaction).
 */
final class Database implements AutoCloseable {
    /** Enough for the write-behind, loader and partition threads of a 2-core coordinator to rarely wait. */
    static final int MAX_CONNECTIONS = 4;

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final String url;
    private final Properties credentials;
    private final Dialect dialect;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    private Database(String url, Properties credentials, Dialect dialect) {
        this.url = url;
        this.credentials = credentials;
        this.dialect = dialect;
    }

    /**
     * Opens the database at {@code url} and checks that a connection can be made, so that a wrong URL or password
     * stops the coordinator at start-up.
     */
    static Database open(String url, String user, String password) {
        Properties credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        Database database = new Database(url, credentials, Dialect.of(url));
        database.call(connection -> null);
        return database;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The URL without its settings, for logs. */
    String describe() {
        return Dialect.redact(url);
    }

    /** Runs {@code work} in auto-commit mode. */
    <T> T call(Work<T> work) {
        return borrow(work, false);
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(Work<T> work) {
        return borrow(work, true);
    }

    private <T> T borrow(Work<T> work, boolean transaction) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while waiting for a connection to " + describe(), e);
        }
        Connection connection = null;
        try {
            connection = idleConnection();
            if (connection == null) {
                connection = DriverManager.getConnection(url, credentials);
            }
            T result;
            if (transaction) {
                connection.setAutoCommit(false);
                result = work.apply(connection);
                connection.commit();
                connection.setAutoCommit(true);
            } else {
                result = work.apply(connection);
            }
            giveBack(connection);
            connection = null;
            return result;
        } catch (SQLException e) {
            throw new MeshException("database " + describe() + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                closeQuietly(connection);
            }
            permits.release();
        }
    }

    private synchronized Connection idleConnection() {
        if (closed) {
            throw new MeshException("database " + describe() + " is closed");
        }
        return idle.pollFirst();
    }

    private synchronized void giveBack(Connection connection) {
        if (closed) {
            closeQuietly(connection);
        } else {
            idle.addFirst(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close(); // rolls back an open transaction
        } catch (SQLException ignored) {
            // already broken: nothing more to release
        }
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    @Override
    public synchronized void close() {
        closed = true;
        idle.forEach(Database::closeQuietly);
        idle.clear();
    }
}
