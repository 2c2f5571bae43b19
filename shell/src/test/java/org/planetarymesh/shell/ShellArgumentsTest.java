package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellArgumentsTest {

    @Test
    void when_propertiesAreGivenAsArguments_then_theyAreNotPartOfTheCommand() {
        String[] args = {"--mesh.coordinators=10.0.0.1:5701,10.0.0.2:5701", "jobs", "--json",
                "--spring.main.banner-mode=console"};

        assertThat(ShellArguments.toCommands(args)).containsExactly("jobs --json");
    }

    @Test
    void when_onlyPropertiesAreGiven_then_thereIsNoCommandAndTheConsoleOpens() {
        assertThat(ShellArguments.toCommands(new String[] {"--mesh.home=/tmp/mesh"})).isEmpty();
        assertThat(ShellArguments.toCommands(new String[0])).isEmpty();
    }

    @Test
    void when_anOptionHasNoDot_then_itStaysInTheCommand() {
        String[] args = {"submit", "sweep.yaml", "--wait", "--timeout", "30m"};

        assertThat(ShellArguments.toCommands(args)).containsExactly("submit sweep.yaml --wait --timeout 30m");
        assertThat(ShellArguments.isProperty("--timeout=30m")).isFalse();
        assertThat(ShellArguments.isProperty("--mesh.cluster-name=lab")).isTrue();
    }

    @Test
    void when_anArgumentHasSpacesOrQuotes_then_itIsQuotedForTheParser() {
        String[] args = {"submit", "my specs/sweep \"v2\".yaml"};

        assertThat(ShellArguments.toCommands(args))
                .containsExactly("submit \"my specs/sweep \\\"v2\\\".yaml\"");
    }
}
