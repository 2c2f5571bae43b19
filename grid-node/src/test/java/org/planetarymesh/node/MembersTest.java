package org.planetarymesh.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.submitter.MeshException;
import picocli.CommandLine;

/** A node started with --tls-dir refuses an identity of another role before it starts a member. */
class MembersTest {

    @TempDir
    Path dir;

    @BeforeEach
    void issue() {
        MeshCa ca = MeshCa.init(dir.resolve("ca"), "test", Clock.systemUTC());
        for (CertificateRole role : CertificateRole.values()) {
            ca.issue(CertRequest.of(role.wireName() + "-1", role)).writeTo(dir.resolve(role.wireName()));
        }
    }

    private NodeOptions options(String bundle) {
        return new NodeOptions("n", "127.0.0.1", 5701, List.of(), "tls-test", 1, 1, Set.of(), dir,
                Optional.of(dir.resolve(bundle)));
    }

    @Test
    void when_anAgentCertificateStartsACoordinator_then_itIsRefused() {
        NodeOptions options = options("agent");

        assertThatThrownBy(() -> Members.start(MemberConfigs.coordinator(options), options, CertificateRole.COORDINATOR))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("has the role agent").hasMessageContaining("needs a coordinator certificate");
    }

    @Test
    void when_aClientCertificateStartsAnAgentOrACoordinator_then_itIsRefused() {
        NodeOptions options = options("client");

        assertThatThrownBy(() -> Members.start(MemberConfigs.agent(options), options, CertificateRole.AGENT))
                .isInstanceOf(MeshException.class).hasMessageContaining("has the role client");
        assertThatThrownBy(() -> Members.start(MemberConfigs.coordinator(options), options, CertificateRole.COORDINATOR))
                .isInstanceOf(MeshException.class).hasMessageContaining("has the role client");
    }

    @Test
    void when_theNodeNameDiffersFromTheCertificateName_then_theNodeIsRefusedBeforeItStarts() {
        NodeOptions options = new NodeOptions("impostor", "127.0.0.1", 5701, List.of(), "tls-test", 1, 1, Set.of(),
                dir, Optional.of(dir.resolve("agent")));

        assertThatThrownBy(() -> Members.start(MemberConfigs.agent(options), options, CertificateRole.AGENT))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("'impostor' is not the name in its certificate ('agent-1'")
                .hasMessageContaining("--name agent-1");
    }

    @Test
    void when_aNodeIsStartedWithoutTlsDirOrInsecure_then_theCommandSaysMutualTlsIsRequired() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("agent", "--port", "0", "--join", "127.0.0.1:1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("mutual TLS is required").contains("--insecure");
    }

    @Test
    void when_theTlsDirHoldsNoIdentity_then_theCommandFailsWithAMessage() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("coordinator", "--port", "0", "--tls-dir", dir.resolve("nowhere").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no mesh identity in");
    }
}
