package org.planetarymesh.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/**
 * {@code mesh up --tls}: 1 coordinator and 2 agents as separate JVMs, every connection mutual TLS with
 * certificates from the local mesh's CA. Shares nothing with {@link LocalMeshIT}.
 */
class LocalMeshTlsIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;

    static LocalMesh mesh;

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(1, 2, 2, true, Duration.ofSeconds(60), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    @Test
    void when_aSweepIsSubmittedOverMutualTls_then_everyTaskSucceeds() throws Exception {
        MeshClientOptions options = MeshClientOptions.localMesh(home);
        assertThat(options.tlsIdentity()).contains(home.resolve("certs").resolve(LocalMesh.CLIENT_NAME));
        assertThat(Files.readString(home.resolve("logs").resolve("coordinator-1.log"))).contains("mTLS on");

        try (MeshClient client = MeshClient.connect(options)) {
            JobHandle job = client.submit(JobSpec.builder("tls-ten")
                    .command("sh", "-c", "echo task {i}")
                    .param("i", IntStream.rangeClosed(1, 10).boxed().toList())
                    .timeout(Duration.ofSeconds(30))
                    .build());

            JobStatus status = job.await(JOB_WAIT);

            assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.tasks()).hasSize(10).extracting(TaskView::state).containsOnly(TaskState.SUCCEEDED);
            assertThat(job.results().outputs()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 10).mapToObj(i -> "task " + i + "\n").toList());
        }
    }

    @Test
    void when_aPlaintextClientConnects_then_itIsRefused() {
        MeshClientOptions tls = MeshClientOptions.localMesh(home);
        MeshClientOptions plaintext = new MeshClientOptions(tls.addresses(), tls.clusterName(), Duration.ofSeconds(3));

        assertThatThrownBy(() -> MeshClient.connect(plaintext).close())
                .isInstanceOf(MeshException.class).hasMessageContaining("cannot reach the mesh");
    }
}
