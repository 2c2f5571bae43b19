package org.planetarymesh.shell;

/**
 * A command could not do what was asked, for a reason the user can act on; printed as one line, no stack
 * trace, and the process exits with {@link #exitCode()}.
 */
public class CommandFailure extends RuntimeException {
    private final ExitCode exitCode;

    public CommandFailure(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
