package org.planetarymesh.submitter;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Where the mesh is and how long to try to reach it.
 *
 * @param addresses      coordinator addresses as {@code host:port}
 * @param clusterName    the mesh's name (members and clients of other meshes are refused)
 * @param connectTimeout how long {@link MeshClient#connect} keeps trying
 */
public record MeshClientOptions(List<String> addresses, String clusterName, Duration connectTimeout) {

    public static final String DEFAULT_CLUSTER_NAME = "planetary-mesh";
    /** The file {@code bin/mesh up} writes into its state directory for clients to find the local mesh. */
    public static final String LOCAL_MESH_FILE = "mesh.properties";

    public MeshClientOptions {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new MeshException("no coordinator address given");
        }
    }

    /** Options for the given coordinator addresses with the default mesh name. */
    public static MeshClientOptions of(String... addresses) {
        return new MeshClientOptions(List.of(addresses), DEFAULT_CLUSTER_NAME, Duration.ofSeconds(20));
    }

    /** The mesh started by {@code bin/mesh up} in the default state directory. */
    public static MeshClientOptions localMesh() {
        return localMesh(defaultStateDir());
    }

    /** The mesh started by {@code bin/mesh up} in {@code stateDir}. */
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
        return new MeshClientOptions(addresses, props.getProperty("cluster.name", DEFAULT_CLUSTER_NAME),
                Duration.ofSeconds(20));
    }

    /** {@code $MESH_HOME}, or {@code ~/.planetary-mesh} when unset: where the local mesh keeps its state. */
    public static Path defaultStateDir() {
        String home = System.getenv("MESH_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".planetary-mesh");
    }
}
