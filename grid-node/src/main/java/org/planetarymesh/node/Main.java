package org.planetarymesh.node;

import org.planetarymesh.grid.AsyncCallbacks;
import org.planetarymesh.enroll.TokenCommands;
import org.planetarymesh.local.LocalMeshCommands;
import org.planetarymesh.security.CaCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mesh}: one executable for every role of a grid node and for the local mesh. */
@Command(name = "mesh", mixinStandardHelpOptions = true, version = "Planetary Mesh 0.1.0",
        description = "A compute mesh for trusted LANs.",
        subcommands = {NodeCommands.CoordinatorCommand.class, NodeCommands.AgentCommand.class,
            LocalMeshCommands.Up.class, LocalMeshCommands.Status.class, LocalMeshCommands.Down.class,
            LocalMeshCommands.Demo.class, CaCommands.Ca.class, CaCommands.Cert.class,
            TokenCommands.Token.class})
public final class Main {

    public static void main(String[] args) {
        AsyncCallbacks.usePoolOnSmallMachines();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and for {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line {@link #run} executes; tests may redirect its output first. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Expected failures carry a message for people; a stack trace would hide it.
            commandLine.getErr().println("mesh: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
