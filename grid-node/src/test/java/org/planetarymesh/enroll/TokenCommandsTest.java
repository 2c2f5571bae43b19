package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.node.Main;
import org.planetarymesh.security.MeshCa;
import picocli.CommandLine;

/** {@code mesh token create|list|revoke} through the real command line. */
class TokenCommandsTest {
    @TempDir
    Path dir;

    private Path caDir;
    private MeshCa ca;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void ca() {
        caDir = dir.resolve("ca");
        ca = MeshCa.init(caDir, "lab", Clock.systemUTC());
    }

    private int mesh(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void when_aTokenIsCreated_then_itIsPrintedOnceWithTheCaHashAndTheJoinCommand() {
        assertThat(mesh("token", "create", "--ca-dir", caDir.toString(), "--ttl", "30m", "--uses", "3")).isZero();

        String token = out.toString().lines().map(String::strip).filter(l -> l.startsWith("pmt1.")).findFirst()
                .orElseThrow();
        JoinToken parsed = JoinToken.parse(token);
        assertThat(parsed.caFingerprint()).isEqualTo(ca.fingerprint());
        assertThat(out.toString()).contains("3 uses").contains("bin/mesh agent --join <coordinator HOST:PORT> --token "
                + token);
        assertThat(new TokenStore(caDir).list()).singleElement()
                .satisfies(t -> assertThat(t.usesLeft()).isEqualTo(3));

        assertThat(mesh("token", "list", "--ca-dir", caDir.toString())).isZero();
        assertThat(out.toString()).contains(parsed.id()).contains("active").contains("3/3")
                .doesNotContain(parsed.secret());
    }

    @Test
    void when_quiet_then_onlyTheTokenIsPrinted() {
        assertThat(mesh("token", "create", "-q", "--ca-dir", caDir.toString())).isZero();

        assertThat(out.toString()).hasLineCount(1);
        assertThat(JoinToken.parse(out.toString()).caFingerprint()).isEqualTo(ca.fingerprint());
    }

    @Test
    void when_aTokenIsRevoked_then_theListSaysSo() {
        mesh("token", "create", "-q", "--ca-dir", caDir.toString());
        String id = JoinToken.parse(out.toString()).id();

        assertThat(mesh("token", "revoke", id, "--ca-dir", caDir.toString())).isZero();
        mesh("token", "list", "--ca-dir", caDir.toString());

        assertThat(out.toString()).containsPattern(id + "\\s+revoked");
    }

    @Test
    void when_theTtlIsNotADuration_then_oneLineSaysWhichFormsWork() {
        assertThat(mesh("token", "create", "--ca-dir", caDir.toString(), "--ttl", "soon")).isEqualTo(1);

        assertThat(err.toString()).startsWith("mesh: --ttl soon: not a duration (e.g. 90s").hasLineCount(1);
        assertThat(new TokenStore(caDir).list()).isEmpty();
    }

    @Test
    void when_anUnknownIdIsRevoked_then_itFailsWithOneLine() {
        assertThat(mesh("token", "revoke", "zzzzzz", "--ca-dir", caDir.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("mesh: no join token zzzzzz").hasLineCount(1);
    }

    @Test
    void when_thereIsNoCa_then_noTokenIsCreated() {
        assertThat(mesh("token", "create", "--ca-dir", dir.resolve("none").toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("mesh: no mesh CA in").hasLineCount(1);
    }
}
