package org.planetarymesh.shell;

import java.util.function.Function;
import java.util.function.Supplier;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;

/**
 * The console's one {@link MeshClient}, connected on first use: {@code help} and a mistyped command never
 * touch the network, and a failed connection is tried again by the next command (start the mesh, retry).
 * Closed with the Spring context.
 */
public final class MeshConnection implements Supplier<MeshClient>, AutoCloseable {
    private final Supplier<MeshClientOptions> options;
    private final Function<MeshClientOptions, MeshClient> connector;
    private MeshClient client;

    /**
     * @param options   where the mesh is; asked only when connecting
     * @param connector opens a client, normally {@link MeshClient#connect}
     */
    public MeshConnection(Supplier<MeshClientOptions> options, Function<MeshClientOptions, MeshClient> connector) {
        this.options = options;
        this.connector = connector;
    }

    /** The client, connecting first if this is the first call (or the last attempt failed). */
    @Override
    public synchronized MeshClient get() {
        if (client == null) {
            client = connector.apply(options.get());
        }
        return client;
    }

    /** True once a client is connected. */
    public synchronized boolean isConnected() {
        return client != null;
    }

    /** Disconnects if connected; jobs keep running. */
    @Override
    public synchronized void close() {
        if (client != null) {
            try {
                client.close();
            } finally {
                client = null;
            }
        }
    }
}
