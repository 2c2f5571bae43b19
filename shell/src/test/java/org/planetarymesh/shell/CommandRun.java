package org.planetarymesh.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.springframework.shell.command.CommandHandlingResult;

/**
 * Runs a command as Spring Shell would for a one-command run: what it prints, and the exit code the process
 * gets (0 when it returns, else what {@link CommandErrors} resolves its exception to).
 */
final class CommandRun {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    final Console console = new Console(new PrintWriter(out), new PrintWriter(err));

    @FunctionalInterface
    interface Command {
        String run();
    }

    /** Runs {@code command}, prints what it returns like Spring Shell, and gives the exit code. */
    int exitCodeOf(Command command) {
        try {
            String result = command.run();
            if (result != null) {
                console.println(result);
            }
            return 0;
        } catch (RuntimeException failure) {
            CommandHandlingResult handled = new CommandErrors(console).resolve(failure);
            if (handled == null) {
                throw failure;
            }
            return handled.exitCode();
        }
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    /** The cells of the table row whose first cell is {@code firstCell} (columns are 2+ spaces apart). */
    static List<String> row(String table, String firstCell) {
        return table.lines()
                .map(String::strip)
                .map(line -> Arrays.asList(line.split("\\s{2,}")))
                .filter(cells -> cells.get(0).equals(firstCell))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + firstCell + " in\n" + table));
    }
}
