package org.planetarymesh.submitter;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the mesh is, how long to try to reach it, and whether to speak mutual TLS.
 *
 * @param addresses      coordinator addresses as {@code host:port}
 * @param clusterName    the mesh's name (members and clients of other meshes are refused)
 * @param connectTimeout how long {@link MeshClient#connect} keeps trying
 * @param tlsIdentity    a directory with an issued identity ({@code node.key}, {@code node.crt}, {@code ca.crt},
 *                       as {@code bin/mesh cert issue --role client} writes it): when present every connection
 *                       is mutual TLS with it; when empty the client speaks plaintext
 */
public record MeshClientOptions(List<String> addresses, String clusterName, Duration connectTimeout,
                                Optional<Path> tlsIdentity) {

    public static final String DEFAULT_CLUSTER_NAME = "planetary-mesh";
    /** The file {@code bin/mesh up} writes into its state directory for clients to find the local mesh. */
    public static final String LOCAL_MESH_FILE = "mesh.properties";
    /** The key in {@value #LOCAL_MESH_FILE} naming the client's TLS identity directory ({@code bin/mesh up --tls}). */
    public static final String TLS_IDENTITY_PROPERTY = "tls.identity";

    public MeshClientOptions {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new MeshException("no coordinator address given");
        }
        tlsIdentity = Objects.requireNonNullElse(tlsIdentity, Optional.empty());
    }

    /** Plaintext options for the given coordinators. */
    public MeshClientOptions(List<String> addresses, String clusterName, Duration connectTimeout) {
        this(addresses, clusterName, connectTimeout, Optional.empty());
    }

    /** The same options, connecting over mutual TLS with the identity in {@code identityDir}. */
    public MeshClientOptions withTls(Path identityDir) {
        return new MeshClientOptions(addresses, clusterName, connectTimeout,
                Optional.of(Objects.requireNonNull(identityDir, "identityDir")));
    }

    /** The same options with another connect timeout. */
    public MeshClientOptions withConnectTimeout(Duration timeout) {
        return new MeshClientOptions(addresses, clusterName, Objects.requireNonNull(timeout, "timeout"), tlsIdentity);
    }

    /** Options for the given coordinator addresses with the default mesh name. */
    public static MeshClientOptions of(String... addresses) {
        return new MeshClientOptions(List.of(addresses), DEFAULT_CLUSTER_NAME, Duration.ofSeconds(20));
    }

    /** The mesh started by {@code bin/mesh up} in the default state directory. */
    public static MeshClientOptions localMesh() {
        return localMesh(defaultStateDir());
    }

    /**
     * The mesh started by {@code bin/mesh up} in {@code stateDir}; over mutual TLS when it was started with
     * {@code --tls} ({@value #TLS_IDENTITY_PROPERTY} in {@value #LOCAL_MESH_FILE}; a relative path is taken
     * from {@code stateDir}).
     */
    public static MeshClientOptions localMesh(Path stateDir) {
        Path file = stateDir.resolve(LOCAL_MESH_FILE);
        if (!Files.isRegularFile(file)) {
            throw new MeshException("no local mesh is running (" + file + " not found): start one with 'bin/mesh up'");
        }
        var props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new MeshException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> addresses = Arrays.stream(props.getProperty("coordinators", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String identity = props.getProperty(TLS_IDENTITY_PROPERTY, "").trim();
        return new MeshClientOptions(addresses, props.getProperty("cluster.name", DEFAULT_CLUSTER_NAME),
                Duration.ofSeconds(20),
                identity.isEmpty() ? Optional.empty() : Optional.of(stateDir.resolve(identity)));
    }

    /** {@code $MESH_HOME}, or {@code ~/.planetary-mesh} when unset: where the local mesh keeps its state. */
    public static Path defaultStateDir() {
        String home = System.getenv("MESH_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".planetary-mesh");
    }
}
