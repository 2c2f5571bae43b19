package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.shell.Fixtures.aJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.MeshClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The whole console in one process, as the launcher runs it: a one-command run's exit code goes through
 * Spring Shell and Spring Boot and comes out of {@link MeshShell#run}.
 */
class MeshShellTest {
    @TempDir
    Path home;
    private String meshHome;

    @BeforeEach
    void noLocalMesh() {
        meshHome = "--mesh.home=" + home;
    }

    @Test
    void when_noLocalMeshRuns_then_aMeshCommandExitsWithTheMeshErrorCode() {
        int exit = MeshShell.run(new String[] {meshHome, "jobs", "--json"});

        assertThat(exit).isEqualTo(ExitCode.MESH_ERROR.code());
    }

    @Test
    void when_theCommandIsUnknown_then_theRunExitsWithTheUsageCode() {
        int exit = MeshShell.run(new String[] {meshHome, "frobnicate"});

        assertThat(exit).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void when_helpIsAsked_then_itNeedsNoMeshAndExitsWithZero() {
        int exit = MeshShell.run(new String[] {meshHome, "help"});

        assertThat(exit).isZero();
    }

    @Test
    void when_aWaitedJobFails_then_theProcessExitCodeIsJobFailed() throws IOException {
        String spec = Files.writeString(home.resolve("sweep.yaml"), "name: sweep\n").toString();
        FakeMeshWiring.mesh = new FakeMesh();
        FakeMeshWiring.mesh.onNextSubmit(aJob("j-9").counts(0, 0, 2, 0).build(),
                aJob("j-9").counts(1, 1, 0, 0).build());

        int exit = MeshShell.run(new String[] {meshHome, "submit", spec, "--wait"}, FakeMeshWiring.class);

        assertThat(exit).isEqualTo(ExitCode.JOB_FAILED.code());
        assertThat(FakeMeshWiring.mesh.submitted).hasSize(1);
    }

    @Test
    void when_aWaitedJobSucceeds_then_theProcessExitCodeIsZero() throws IOException {
        String spec = Files.writeString(home.resolve("sweep.yaml"), "name: sweep\n").toString();
        FakeMeshWiring.mesh = new FakeMesh();
        FakeMeshWiring.mesh.onNextSubmit(aJob("j-9").counts(0, 0, 2, 0).build(),
                aJob("j-9").counts(2, 0, 0, 0).build());

        int exit = MeshShell.run(new String[] {meshHome, "submit", spec, "--wait"}, FakeMeshWiring.class);

        assertThat(exit).isZero();
    }

    /**
     * Puts the fake mesh, a spec reader and a follower that does not sleep in front of the real ones. Not a
     * {@code @Configuration}, so that the console's component scan never picks it up.
     */
    static class FakeMeshWiring {
        static FakeMesh mesh;

        @Bean
        @Primary
        Supplier<MeshClient> fakeMesh() {
            return () -> mesh;
        }

        @Bean
        @Primary
        JobCommands.SpecReader fakeSpecReader() {
            return file -> Fixtures.aSpec();
        }

        @Bean
        @Primary
        JobFollower followerWithoutSleeping() {
            return new JobFollower(Clock.systemUTC(), duration -> { }, Duration.ofMillis(1));
        }
    }
}
