package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.local.TestMeshes;
import org.planetarymesh.node.Main;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.TaskView;
import picocli.CommandLine;

/**
 * Joining with one command, as separate JVMs from the built jar: a coordinator with TLS and the mesh CA, a
 * token from {@code mesh token create}, and an agent started with only {@code --join} and {@code --token}
 * (plus the names and ports every test node gets) enrolls, joins over mutual TLS and runs a job; started
 * again with the same command, it reuses its identity.
 */
class EnrollIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path home;

    private final List<Process> processes = new ArrayList<>();
    private final String cluster = "enroll-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stopEveryProcess() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private String mesh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    private Process spawn(String logName, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(TestMeshes.meshCommand(List.of(args)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(logName).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("MESH_HOME", home.toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String log(String name) {
        try {
            return Files.isRegularFile(home.resolve(name)) ? Files.readString(home.resolve(name)) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free member port whose enrollment port (+100) is free too. */
    private static int freeMemberPort() throws IOException {
        while (true) {
            try (ServerSocket member = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = member.getLocalPort();
                if (port + EnrollmentClient.PORT_OFFSET > 65_535) {
                    continue;
                }
                try (ServerSocket enroll = new ServerSocket(port + EnrollmentClient.PORT_OFFSET, 1,
                        InetAddress.getByName(HOST))) {
                    if (enroll.isBound()) {
                        return port;
                    }
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private Process startAgent(int memberPort, int agentPort, String token) throws IOException {
        return spawn("agent.log", "agent", "--join", HOST + ":" + memberPort, "--token", token,
                "--name", "laptop-1", "--bind", HOST, "--port", String.valueOf(agentPort), "--cluster-name", cluster,
                "--slots", "2", "--work-dir", home.resolve("work").toString());
    }

    private static Optional<NodeInfo> node(MeshClient client, String name) {
        return client.nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Test
    void when_anAgentStartsWithOnlyJoinAndToken_then_itEnrollsJoinsRunsAJobAndReusesItsIdentityOnRestart()
            throws Exception {
        Path caDir = home.resolve("ca");
        mesh("ca", "init", "--dir", caDir.toString(), "--name", "it");
        mesh("cert", "issue", "--name", "coord-1", "--role", "coordinator", "--ca-dir", caDir.toString(),
                "--out", home.resolve("certs/coord-1").toString());
        mesh("cert", "issue", "--name", "it-client", "--role", "client", "--ca-dir", caDir.toString(),
                "--out", home.resolve("certs/it-client").toString());
        int memberPort = freeMemberPort();
        Process coordinator = spawn("coordinator.log", "coordinator", "--name", "coord-1", "--bind", HOST,
                "--port", String.valueOf(memberPort), "--cluster-name", cluster,
                "--tls-dir", home.resolve("certs/coord-1").toString(), "--ca-dir", caDir.toString());
        String token = mesh("token", "create", "--quiet", "--ca-dir", caDir.toString(), "--ttl", "10m").strip();
        String tokenId = JoinToken.parse(token).id();
        await().atMost(START)
                .failFast(() -> assertThat(coordinator.isAlive()).as(log("coordinator.log")).isTrue())
                .untilAsserted(() -> assertThat(log("coordinator.log")).contains("enrollment endpoint listening on "
                        + HOST + ":" + (memberPort + EnrollmentClient.PORT_OFFSET)));

        int agentPort = freePort();
        long enrollStarted = System.nanoTime();
        Process agent = startAgent(memberPort, agentPort, token);

        MeshClientOptions options = new MeshClientOptions(List.of(HOST + ":" + memberPort), cluster, START,
                Optional.of(home.resolve("certs/it-client")));
        try (MeshClient client = MeshClient.connect(options)) {
            await().atMost(START)
                    .failFast(() -> assertThat(agent.isAlive()).as(log("agent.log")).isTrue())
                    .until(() -> node(client, "laptop-1").map(NodeInfo::online).orElse(false));
            System.out.printf("agent process start to online in the mesh (JVM start, enrollment, TLS join): %d ms%n",
                    (System.nanoTime() - enrollStarted) / 1_000_000);

            Path identityDir = home.resolve("identity").resolve("laptop-1");
            MeshIdentity identity = MeshIdentity.load(identityDir);
            assertThat(identity.name()).isEqualTo("laptop-1");
            assertThat(identity.role()).isEqualTo(CertificateRole.AGENT);
            assertThat(Files.getPosixFilePermissions(identityDir.resolve(MeshIdentity.KEY_FILE)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(log("agent.log")).contains("enrolled node=laptop-1").contains("mTLS on");
            assertThat(log("coordinator.log")).contains("enroll request=enroll token=" + tokenId + " node=laptop-1")
                    .contains("outcome=issued " + Fingerprints.sha256(identity.certificate()));

            JobHandle job = client.submit(JobSpec.builder("after-enrollment")
                    .command("sh", "-c", "echo joined {i}")
                    .param("i", List.of(1, 2, 3))
                    .timeout(Duration.ofSeconds(30))
                    .build());
            assertThat(job.await(START).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.tasks()).extracting(TaskView::node).containsOnly(Optional.of("laptop-1"));
            assertThat(job.results().outputs()).containsExactly("joined 1\n", "joined 2\n", "joined 3\n");

            agent.destroy();
            assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(START).until(() -> node(client, "laptop-1").map(n -> !n.online()).orElse(false));

            Process again = startAgent(memberPort, agentPort, token);
            await().atMost(START)
                    .failFast(() -> assertThat(again.isAlive()).as(log("agent.log")).isTrue())
                    .until(() -> node(client, "laptop-1").map(NodeInfo::online).orElse(false));
            assertThat(log("agent.log")).contains("identity found dir=" + identityDir)
                    .contains("the join token is not needed and not used");
            assertThat(MeshIdentity.load(identityDir).certificate()).isEqualTo(identity.certificate());
            assertThat(new TokenStore(caDir).list()).singleElement()
                    .satisfies(t -> assertThat(t.usesLeft()).isZero());
        }
    }
}
