package org.planetarymesh.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.planetarymesh.discovery.MdnsBrowser;

/**
 * How a grid node starts, whatever its role.
 *
 * @param name        unique node name in the mesh
 * @param bindHost    the address to bind and advertise
 * @param port        the member port
 * @param join        addresses ({@code host:port}) of coordinators to join; empty for the first coordinator
 * @param clusterName the mesh's name; members of other meshes are refused
 * @param quorum      how many coordinators must be reachable for the job maps to accept writes
 * @param slots       tasks an agent runs at once
 * @param labels      labels an agent offers to jobs that require them
 * @param workDir     where an agent creates the working directories of task attempts
 * @param tlsDir      an issued identity ({@code node.key}, {@code node.crt}, {@code ca.crt}) for mutual TLS on
 *                    every connection; empty for plaintext
 * @param discovery   coordinators found on the LAN with mDNS, to join instead of {@code join} (docs/adr/0015); the
 *                    node that opened the browser closes it; empty: join by address
 */
public record NodeOptions(String name, String bindHost, int port, List<String> join, String clusterName,
                          int quorum, int slots, Set<String> labels, Path workDir, Optional<Path> tlsDir,
                          Optional<MdnsBrowser> discovery) {
    public NodeOptions {
        join = List.copyOf(join);
        labels = Set.copyOf(labels);
        tlsDir = Objects.requireNonNullElse(tlsDir, Optional.empty());
        discovery = Objects.requireNonNullElse(discovery, Optional.empty());
    }

    /** Options of a node that joins by address. */
    public NodeOptions(String name, String bindHost, int port, List<String> join, String clusterName, int quorum,
                       int slots, Set<String> labels, Path workDir, Optional<Path> tlsDir) {
        this(name, bindHost, port, join, clusterName, quorum, slots, labels, workDir, tlsDir, Optional.empty());
    }

    /** Options of a plaintext node. */
    public NodeOptions(String name, String bindHost, int port, List<String> join, String clusterName, int quorum,
                       int slots, Set<String> labels, Path workDir) {
        this(name, bindHost, port, join, clusterName, quorum, slots, labels, workDir, Optional.empty());
    }

    /** The same options, joining the coordinators {@code browser} finds instead of {@code join}. */
    public NodeOptions withDiscovery(MdnsBrowser browser) {
        return new NodeOptions(name, bindHost, port, join, clusterName, quorum, slots, labels, workDir, tlsDir,
                Optional.of(browser));
    }
}
