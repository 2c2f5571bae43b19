package org.planetarymesh.submitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a client finds the mesh and whether it speaks TLS. */
class MeshClientOptionsTest {

    @TempDir
    Path stateDir;

    @Test
    void when_optionsAreBuiltForAddresses_then_theClientSpeaksPlaintext() {
        assertThat(MeshClientOptions.of("a:5701").tlsIdentity()).isEmpty();
    }

    @Test
    void when_tlsIsAsked_then_theIdentityDirectoryIsKeptThroughOtherChanges() {
        MeshClientOptions options = MeshClientOptions.of("a:5701").withTls(Path.of("/certs/me"))
                .withConnectTimeout(Duration.ofSeconds(3));

        assertThat(options.tlsIdentity()).contains(Path.of("/certs/me"));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void when_theLocalMeshWasStartedWithTls_then_itsClientIdentityIsUsed() throws IOException {
        Files.writeString(stateDir.resolve(MeshClientOptions.LOCAL_MESH_FILE),
                "cluster.name=local-1\ncoordinators=127.0.0.1:5701\ntls.identity=certs/local-client\n");

        MeshClientOptions options = MeshClientOptions.localMesh(stateDir);

        assertThat(options.tlsIdentity()).contains(stateDir.resolve("certs/local-client"));
    }

    @Test
    void when_theLocalMeshIsPlaintext_then_noIdentityIsUsed() throws IOException {
        Files.writeString(stateDir.resolve(MeshClientOptions.LOCAL_MESH_FILE),
                "cluster.name=local-1\ncoordinators=127.0.0.1:5701\n");

        assertThat(MeshClientOptions.localMesh(stateDir).tlsIdentity()).isEmpty();
    }

    @Test
    void when_theIdentityIsMissing_then_connectFailsAtOnceSayingSo() {
        MeshClientOptions options = MeshClientOptions.of("127.0.0.1:1").withTls(stateDir.resolve("nowhere"));

        assertThatThrownBy(() -> MeshClient.connect(options))
                .isInstanceOf(MeshException.class).hasMessageContaining("no mesh identity in");
    }
}
