package org.planetarymesh.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.planetarymesh.submitter.MeshClientOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the console finds the mesh. Bound from Spring properties, so each can be given as a system property
 * ({@code -Dmesh.coordinators=a:5701,b:5701}), an environment variable ({@code MESH_COORDINATORS},
 * {@code MESH_CLUSTER_NAME}, {@code MESH_HOME}, {@code MESH_CONNECT_TIMEOUT}) or an argument
 * ({@code --mesh.coordinators=...}).
 *
 * @param coordinators   coordinator addresses as {@code host:port}; when none, the local mesh of {@code home}
 * @param clusterName    the mesh's name, used with {@code coordinators}
 * @param home           the state directory of the local mesh; when unset, {@code $MESH_HOME} or
 *                       {@code ~/.planetary-mesh} (see {@link MeshClientOptions#defaultStateDir()})
 * @param connectTimeout how long to try to reach the mesh
 * @param tlsIdentity    with {@code coordinators}: the client identity directory ({@code node.key},
 *                       {@code node.crt}, {@code ca.crt}) for a mesh with mutual TLS ({@code MESH_TLS_IDENTITY})
 */
@ConfigurationProperties("mesh")
public record MeshProperties(List<String> coordinators,
                             @DefaultValue(MeshClientOptions.DEFAULT_CLUSTER_NAME) String clusterName,
                             Path home,
                             @DefaultValue("20s") Duration connectTimeout,
                             Path tlsIdentity) {

    public MeshProperties {
        coordinators = coordinators == null ? List.of()
                : coordinators.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The client options: the given coordinators, else the local mesh's {@code mesh.properties}.
     *
     * @throws org.planetarymesh.submitter.MeshException if no coordinator is given and no local mesh runs
     */
    public MeshClientOptions toOptions() {
        if (!coordinators.isEmpty()) {
            MeshClientOptions given = new MeshClientOptions(coordinators, clusterName, connectTimeout);
            return tlsIdentity == null ? given : given.withTls(tlsIdentity);
        }
        MeshClientOptions local = home != null ? MeshClientOptions.localMesh(home) : MeshClientOptions.localMesh();
        return local.withConnectTimeout(connectTimeout); // keeps the local mesh's TLS identity, if any
    }
}
