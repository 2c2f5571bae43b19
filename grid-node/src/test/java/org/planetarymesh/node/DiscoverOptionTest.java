package org.planetarymesh.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --discover} and {@code --join} are two ways to find the mesh: a node takes one, and an agent needs one. */
class DiscoverOptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"coordinator", "agent"})
    void when_aNodeIsGivenJoinAndDiscover_then_itRefusesBeforeStartingAnything(String role) {
        StringWriter err = new StringWriter();

        int code = cli(err).execute(role, "--port", "0", "--join", "127.0.0.1:5701", "--discover", "--insecure");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mesh: give --join or --discover, not both" + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"coordinator", "agent"})
    void when_discoverIsAskedOnTheWildcardAddress_then_itSaysWhichAddressItNeeds(String role) {
        StringWriter err = new StringWriter();

        int code = cli(err).execute(role, "--port", "0", "--bind", "0.0.0.0", "--discover", "--insecure");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("mDNS needs the address of one interface (--bind), not 0.0.0.0");
    }

    @Test
    void when_anAgentHasNeitherJoinNorDiscover_then_itSaysItNeedsOne() {
        StringWriter err = new StringWriter();

        int code = cli(err).execute("agent", "--port", "0", "--insecure");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("an agent needs --join HOST:PORT of a coordinator, or --discover");
    }

    private static CommandLine cli(StringWriter err) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }
}
