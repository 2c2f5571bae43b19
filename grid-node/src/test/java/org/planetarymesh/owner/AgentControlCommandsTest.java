package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agent pause|resume|status} against a real control socket and a real watch with counted tasks. */
class AgentControlCommandsTest {
    /** Stands in for {@code mesh agent}, with Main's handling of expected failures. */
    @Command(name = "agent", subcommands = {AgentControlCommands.Pause.class, AgentControlCommands.Resume.class,
        AgentControlCommands.Status.class})
    static final class Agent {
    }

    private Path home;
    private final List<AutoCloseable> open = new ArrayList<>();
    private StringWriter out;
    private StringWriter err;
    private final RecordingTasks tasks = new RecordingTasks();

    @BeforeEach
    void home() throws IOException {
        home = Files.createTempDirectory(Path.of("/tmp"), "acc");
    }

    @AfterEach
    void clean() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private OwnerWatch agent(String node) throws IOException {
        OwnerWatch watch = new OwnerWatch(node, OwnerPolicy.Settings.defaults(false), () -> 0.12, tasks, r -> { },
                Clock.systemUTC());
        watch.tick();
        open.add(watch);
        open.add(AgentControl.open(AgentControl.socketPath(home, node), watch));
        return watch;
    }

    private int mesh(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = new CommandLine(new Agent());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mesh: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Test
    void when_theOwnerPausesTheOnlyAgent_then_itsRunningTasksAreSuspendedAndTheyAreToldInOneLine()
            throws IOException {
        agent("lab-3");
        tasks.running = 2;

        assertThat(mesh("pause", "--mesh-home", home.toString())).isZero();
        assertThat(out.toString()).isEqualTo("agent lab-3 paused: 2 tasks suspended, no new work\n");

        assertThat(mesh("status", "--mesh-home", home.toString())).isZero();
        assertThat(out.toString()).isEqualTo("agent lab-3: SUSPENDED, no new work (paused by its owner);"
                + " 0 running, 2 suspended; owner load 0.12/core\n");

        assertThat(mesh("resume", "--mesh-home", home.toString())).isZero();
        assertThat(out.toString()).isEqualTo("agent lab-3 resumed: taking work, 2 tasks running\n");
    }

    @Test
    void when_nothingRuns_then_thePauseSaysSo() throws IOException {
        agent("lab-3");

        assertThat(mesh("pause", "--mesh-home", home.toString(), "--name", "lab-3")).isZero();
        assertThat(out.toString()).isEqualTo("agent lab-3 paused: no new work (no task was running)\n");
    }

    @Test
    void when_statusIsAskedForJson_then_theAgentsReplyIsPrinted() throws IOException {
        agent("lab-3");

        assertThat(mesh("status", "--json", "--mesh-home", home.toString())).isZero();
        assertThat(out.toString()).startsWith("{\"node\":\"lab-3\",\"state\":\"ACCEPTING\",\"accepting\":true");
    }

    @Test
    void when_severalAgentsRun_then_theOwnerIsAskedToNameOne() throws IOException {
        agent("lab-3");
        agent("lab-4");

        assertThat(mesh("pause", "--mesh-home", home.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mesh: several agents run under " + home.resolve("agents")
                + " (lab-3, lab-4): choose one with --name\n");

        assertThat(mesh("pause", "--mesh-home", home.toString(), "--name", "lab-4")).isZero();
        assertThat(out.toString()).startsWith("agent lab-4 paused");
    }

    @Test
    void when_noAgentRuns_then_theOwnerIsToldPlainly() {
        assertThat(mesh("status", "--mesh-home", home.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mesh: no agent is running under " + home.resolve("agents")
                + ": is it started? (or give --mesh-home DIR)\n");

        assertThat(mesh("status", "--mesh-home", home.toString(), "--name", "lab-9")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mesh: no agent is running at "
                + home.resolve("agents/lab-9.sock") + ": is it started?\n");
    }

    @Test
    void when_theOwnerResumesAWhenIdleAgentOnABusyMachine_then_theyAreToldWhyNoWorkComesYet() throws IOException {
        OwnerWatch watch = new OwnerWatch("lab-3", new OwnerPolicy.Settings(0.3, Duration.ofMinutes(5),
                Duration.ofMinutes(10), true), () -> 0.5, tasks, r -> { }, Clock.systemUTC());
        watch.tick();
        open.add(watch);
        open.add(AgentControl.open(AgentControl.socketPath(home, "lab-3"), watch));

        assertThat(mesh("resume", "--mesh-home", home.toString())).isZero();
        assertThat(out.toString()).isEqualTo("agent lab-3 resumed; no new work yet: owner active (load 0.50/core)\n");
    }
}
