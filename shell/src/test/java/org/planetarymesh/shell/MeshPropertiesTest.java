package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;

class MeshPropertiesTest {
    @TempDir
    Path home;

    @Test
    void when_coordinatorsAreGiven_then_theyAreTheAddressesWithTheGivenMeshName() {
        var properties = new MeshProperties(List.of(" a:5701", "b:5701 ", ""), "lab", null, Duration.ofSeconds(5), null);

        MeshClientOptions options = properties.toOptions();

        assertThat(options.addresses()).containsExactly("a:5701", "b:5701");
        assertThat(options.clusterName()).isEqualTo("lab");
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void when_coordinatorsAndATlsIdentityAreGiven_then_theClientUsesThatIdentity() {
        var properties = new MeshProperties(List.of("lab-1:5701"), "lab", null, Duration.ofSeconds(5),
                home.resolve("admin"));

        assertThat(properties.toOptions().tlsIdentity()).contains(home.resolve("admin"));
    }

    @Test
    void when_noCoordinatorIsGiven_then_theLocalMeshFileOfHomeIsRead() throws IOException {
        Files.writeString(home.resolve(MeshClientOptions.LOCAL_MESH_FILE),
                "coordinators=127.0.0.1:5701,127.0.0.1:5702\ncluster.name=local\n");
        var properties = new MeshProperties(null, "ignored", home, Duration.ofSeconds(20), null);

        MeshClientOptions options = properties.toOptions();

        assertThat(options.addresses()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(options.clusterName()).isEqualTo("local");
    }

    @Test
    void when_theLocalMeshRunsWithTls_then_theConsoleUsesItsClientIdentity() throws IOException {
        Files.writeString(home.resolve(MeshClientOptions.LOCAL_MESH_FILE),
                "coordinators=127.0.0.1:5701\ncluster.name=local\ntls.identity=certs/local-client\n");
        var properties = new MeshProperties(null, "ignored", home, Duration.ofSeconds(7), null);

        MeshClientOptions options = properties.toOptions();

        assertThat(options.tlsIdentity()).contains(home.resolve("certs/local-client"));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void when_noCoordinatorIsGivenAndNoLocalMeshRuns_then_theErrorSaysHowToStartOne() {
        var properties = new MeshProperties(List.of(), "planetary-mesh", home, Duration.ofSeconds(20), null);

        assertThatThrownBy(properties::toOptions).isInstanceOf(MeshException.class)
                .hasMessageContaining("no local mesh is running").hasMessageContaining("bin/mesh up");
    }
}
