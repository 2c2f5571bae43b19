package org.planetarymesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.node.Main;
import picocli.CommandLine;

class CaCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mesh(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void when_caIsInitialised_then_itsFingerprintIsPrintedAndItsKeyIsNot() throws Exception {
        assertThat(mesh("ca", "init", "--dir", dir.resolve("ca").toString(), "--name", "lab")).isZero();

        MeshCa ca = MeshCa.load(dir.resolve("ca"));
        assertThat(out.toString()).contains("fingerprint: " + ca.fingerprint()).contains("mesh CA 'lab'")
                .doesNotContain("PRIVATE KEY").doesNotContain(Files.readString(dir.resolve("ca/ca.key")).lines().skip(1)
                        .findFirst().orElseThrow());
    }

    @Test
    void when_caIsInitialisedTwice_then_theSecondRunFailsWithOneLine() {
        mesh("ca", "init", "--dir", dir.resolve("ca").toString());

        assertThat(mesh("ca", "init", "--dir", dir.resolve("ca").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("mesh: a mesh CA already exists in " + dir.resolve("ca")).hasLineCount(1);
    }

    @Test
    void when_certIsIssued_then_theBundleHoldsNameRoleDaysAndSans() throws Exception {
        mesh("ca", "init", "--dir", dir.resolve("ca").toString());

        int code = mesh("cert", "issue", "--name", "agent-1", "--role", "agent", "--days", "30",
                "--san", "127.0.0.1,node1.lan",
                "--ca-dir", dir.resolve("ca").toString(), "--out", dir.resolve("agent-1").toString());

        assertThat(code).as(err.toString()).isZero();
        MeshIdentity identity = MeshIdentity.load(dir.resolve("agent-1"));
        assertThat(identity.peer().name()).isEqualTo("agent-1");
        assertThat(identity.role()).isEqualTo(CertificateRole.AGENT);
        assertThat(identity.certificate().getNotAfter().toInstant())
                .isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(1, ChronoUnit.MINUTES));
        assertThat(identity.certificate().getSubjectAlternativeNames()).hasSize(4);
        assertThat(Files.getPosixFilePermissions(dir.resolve("agent-1/node.key"))).isEqualTo(PemFiles.OWNER_ONLY_FILE);
        assertThat(out.toString()).contains("issued a certificate for agent-1 (role agent)");
    }

    @Test
    void when_thereIsNoCa_then_issueSaysHowToCreateOne() {
        int code = mesh("cert", "issue", "--name", "c1", "--role", "client", "--ca-dir", dir.resolve("none").toString(),
                "--out", dir.resolve("c1").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().trim())
                .isEqualTo("mesh: no mesh CA in " + dir.resolve("none") + ": create one with 'bin/mesh ca init'");
        assertThat(dir.resolve("c1")).doesNotExist();
    }

    @Test
    void when_roleIsUnknown_then_issueNamesTheRoles() {
        mesh("ca", "init", "--dir", dir.resolve("ca").toString());

        assertThat(mesh("cert", "issue", "--name", "c1", "--role", "admin", "--ca-dir", dir.resolve("ca").toString(),
                "--out", dir.resolve("c1").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("unknown role 'admin'");
    }
}
