package org.planetarymesh.shell;

import java.util.Optional;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshException;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.CommandNotFound;
import org.springframework.shell.command.CommandExecution.CommandParserExceptionsException;

/**
 * Every exit code of the console, and the rules that pick one. Scripts may rely on these numbers.
 */
public enum ExitCode {
    /** The command did what was asked; for {@code submit --wait}, the job SUCCEEDED. */
    OK(0),
    /** {@code submit --wait}: the job ended FAILED (some task failed, timed out or was lost). */
    JOB_FAILED(1),
    /** The command line was wrong: unknown command, missing or bad option (Spring Shell uses 2 too). */
    USAGE(2),
    /** The job spec was refused; every field error was printed. */
    INVALID_SPEC(3),
    /** {@code submit --wait}: the job ended CANCELLED. */
    JOB_CANCELLED(4),
    /** {@code submit --wait --timeout}: the job was still running when the timeout passed (it keeps running). */
    WAIT_TIMED_OUT(5),
    /** The mesh refused or could not do it: no mesh to connect to, unknown job, lost connection. */
    MESH_ERROR(6),
    /** A bug: an exception nobody expected. */
    UNEXPECTED(70),
    /** The wait was interrupted (Ctrl-C); the job keeps running. */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** What {@code submit --wait} exits with when the wait ended with the job in {@code state}. */
    public static ExitCode afterWait(JobState state) {
        return switch (state) {
            case SUCCEEDED -> OK;
            case FAILED -> JOB_FAILED;
            case CANCELLED -> JOB_CANCELLED;
            case QUEUED, RUNNING -> WAIT_TIMED_OUT;
        };
    }

    /** The exit code for an exception a command threw. */
    public static ExitCode of(Throwable failure) {
        if (failure instanceof CommandFailure f) {
            return f.exitCode();
        }
        if (failure instanceof InvalidJobSpecException) {
            return INVALID_SPEC;
        }
        if (failure instanceof MeshException) {
            return MESH_ERROR;
        }
        return UNEXPECTED;
    }

    /**
     * The exit code of a one-command run that ended with {@code failure} thrown out of Spring Boot, if the
     * failure was already explained to the user.
     *
     * <p>Spring Shell rethrows in non-interactive mode so that Spring Boot can derive an exit code: a command
     * error resolved by {@link CommandErrors} comes back as an exception implementing {@link ExitCodeGenerator}
     * (Spring Shell's {@code ShellExitCodeException}), a bad command line as {@link CommandNotFound} or
     * {@link CommandParserExceptionsException} (Spring Shell printed those); Spring Boot may wrap them.
     *
     * @return the code, or empty for anything else: a failure to start, a bug
     */
    public static Optional<Integer> ofReportedFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ExitCodeGenerator generator && generator.getExitCode() != 0) {
                return Optional.of(generator.getExitCode());
            }
            if (t instanceof CommandNotFound || t instanceof CommandParserExceptionsException) {
                return Optional.of(USAGE.code);
            }
        }
        return Optional.empty();
    }
}
