package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.local.LocalMesh;
import org.planetarymesh.local.TestMeshes;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.MeshClient;

/** The console as a user runs it: a separate process, one command per run, against a real local mesh. */
class ShellIT {
    @TempDir
    static Path home;

    static LocalMesh mesh;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void startMesh() {
        mesh = TestMeshes.in(home);
        mesh.up(1, 2, 2, Duration.ofSeconds(90), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    static Run shell(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("shell.jar") + File.pathSeparator + System.getProperty("shell.libDir") + "/*",
                "org.planetarymesh.shell.MeshShell"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "shell", ".out");
        Path err = Files.createTempFile(home, "shell", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MESH_HOME", home.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("shell did not finish within 90s: " + String.join(" ", args));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void when_jobWasSubmittedThroughTheJavaClient_then_theShellListsIt() throws Exception {
        String jobId;
        try (MeshClient client = mesh.connect()) {
            JobHandle job = client.submit(JobSpec.builder("listed").command("sh", "-c", "echo {x}")
                    .param("x", List.of(1, 2)).build());
            job.await(Duration.ofMinutes(1));
            jobId = job.id();
        }

        Run table = shell("jobs");
        Run json = shell("jobs", "--json");

        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains(jobId).contains("listed").contains("SUCCEEDED");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        JsonNode jobs = new ObjectMapper().readTree(json.stdout());
        assertThat(jobs.findValuesAsText("jobId")).contains(jobId);
    }

    @Test
    void when_specIsSubmittedWithWait_then_exitCodeSaysWhetherTheJobSucceeded() throws Exception {
        Path good = Files.writeString(home.resolve("good.yaml"),
                "name: good\ncommand: [sh, -c, 'echo {x}']\nparams: {x: '1..4'}\n");
        Path bad = Files.writeString(home.resolve("bad.yaml"),
                "name: bad\ncommand: [sh, -c, 'exit {x}']\nparams: {x: [0, 1]}\nmaxAttempts: 1\n");

        Run succeeded = shell("submit", good.toString(), "--wait");
        Run failed = shell("submit", bad.toString(), "--wait");

        assertThat(succeeded.exitCode()).as(succeeded.stderr()).isZero();
        assertThat(succeeded.stdout()).contains("SUCCEEDED");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stdout()).contains("FAILED");
    }

    @Test
    void when_nodesAreListed_then_everyAgentShowsWithItsSlots() throws Exception {
        Run nodes = shell("nodes", "--json");

        assertThat(nodes.exitCode()).as(nodes.stderr()).isZero();
        JsonNode list = new ObjectMapper().readTree(nodes.stdout());
        assertThat(list.findValuesAsText("name")).contains("agent-1", "agent-2", "coordinator-1");
    }

    @Test
    void when_specIsInvalid_then_theShellNamesTheFieldAndExitsNonZero() throws Exception {
        Path invalid = Files.writeString(home.resolve("invalid.yaml"), "name: x\ncomand: [true]\n");

        Run run = shell("submit", invalid.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.stderr()).contains("comand");
    }
}
