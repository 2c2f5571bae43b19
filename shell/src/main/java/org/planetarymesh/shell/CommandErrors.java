package org.planetarymesh.shell;

import java.util.ArrayList;
import java.util.List;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.springframework.shell.command.CommandExceptionResolver;
import org.springframework.shell.command.CommandHandlingResult;

/**
 * Turns what a command threw into the lines the user sees and an exit code.
 *
 * <p>Registered as a global {@link CommandExceptionResolver}: Spring Shell asks it about every exception a
 * command throws. The lines go to standard error; the returned {@link CommandHandlingResult} carries only the
 * exit code, which Spring Shell ignores in the interactive console and, in a one-command run, throws back to
 * Spring Boot as an exception with that exit code ({@link MeshShell#run} turns it into the process's).
 */
public final class CommandErrors implements CommandExceptionResolver {
    private final Console console;

    public CommandErrors(Console console) {
        this.console = console;
    }

    @Override
    public CommandHandlingResult resolve(Exception failure) {
        if (isSpringShellOwn(failure)) {
            // Bad command lines (missing option, unknown option, failed validation) keep Spring Shell's
            // own messages and its exit code 2.
            return null;
        }
        describe(failure).forEach(console::error);
        return CommandHandlingResult.of(null, ExitCode.of(failure).code());
    }

    /** The lines that explain {@code failure}: one, or one per field error of an invalid job spec. */
    static List<String> describe(Throwable failure) {
        if (failure instanceof InvalidJobSpecException invalid) {
            var lines = new ArrayList<String>();
            lines.add("error: invalid job spec (" + invalid.errors().size() + " "
                    + (invalid.errors().size() == 1 ? "error" : "errors") + ")");
            invalid.errors().forEach(e -> lines.add("  " + e.field() + ": " + e.message()));
            return lines;
        }
        if (ExitCode.of(failure) == ExitCode.UNEXPECTED) {
            return List.of("error: unexpected " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
        }
        return List.of("error: " + failure.getMessage());
    }

    private static boolean isSpringShellOwn(Exception failure) {
        return failure.getClass().getName().startsWith("org.springframework.shell.");
    }
}
