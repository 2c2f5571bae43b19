package org.planetarymesh.shell;

import java.time.Duration;
import org.planetarymesh.jobs.Durations;

/** Reads a duration option as people type it, with the same forms as a job spec's {@code timeout}. */
final class DurationArgument {
    private DurationArgument() {
    }

    /** @throws CommandFailure with {@link ExitCode#USAGE} if {@code text} is not a positive duration */
    static Duration parse(String option, String text) {
        Duration duration = Durations.parse(text).orElse(null);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new CommandFailure(ExitCode.USAGE, "--" + option + " '" + text + "' is not a duration: use "
                    + Durations.FORMS);
        }
        return duration;
    }
}
