package org.planetarymesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.Protection;
import picocli.CommandLine;

/** The contributor's options: caps and owner policy are read strictly, and the sandbox check reports every protection. */
class AgentOptionsTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    @EnabledOnOs(OS.LINUX)
    void when_theContributorChecksTheSandbox_then_everyProtectionIsListedActiveOrMissingAndNothingJoins() {
        int code = cli().execute("agent", "--check-sandbox", "--name", "probe-" + ProcessHandle.current().pid(),
                "--work-dir", work.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Sandbox layers on this host:", "Protections for every task:");
        for (Protection p : Protection.values()) {
            assertThat(out.toString()).containsPattern("(active |MISSING) " + p.wireName() + " +\\S");
        }
    }

    @Test
    void when_aCapIsNotASize_then_theAgentSaysWhichOptionAndWhatItAccepts() {
        int code = cli().execute("agent", "--port", "0", "--join", "127.0.0.1:5701", "--insecure",
                "--max-memory", "lots");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("mesh: --max-memory: cannot read 'lots' as a size (e.g. 256MiB");
    }

    @Test
    void when_anOwnerDurationIsNotADuration_then_theAgentSaysWhichOption() {
        int code = cli().execute("agent", "--port", "0", "--join", "127.0.0.1:5701", "--insecure", "--when-idle",
                "--evict-after", "soon");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("mesh: --evict-after: cannot read 'soon' as a duration");
    }

    @Test
    void when_maxCpusIsNotPositive_then_theAgentRefusesIt() {
        int code = cli().execute("agent", "--port", "0", "--join", "127.0.0.1:5701", "--insecure", "--max-cpus",
                "0");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("mesh: --max-cpus must be more than 0");
    }

    private CommandLine cli() {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }
}
