package org.planetarymesh.shell;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a duration as people type it: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, or ISO {@code PT30M}. */
final class DurationArgument {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|d|h|m|s)");

    private DurationArgument() {
    }

    /** @throws CommandFailure with {@link ExitCode#USAGE} if {@code text} is not a positive duration */
    static Duration parse(String option, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration duration = value.startsWith("p") ? iso(value) : units(value);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new CommandFailure(ExitCode.USAGE, "--" + option + " '" + text
                    + "' is not a duration: use e.g. 90s, 30m, 2h, 1h30m");
        }
        return duration;
    }

    private static Duration iso(String value) {
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration units(String value) {
        Matcher m = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        return end == value.length() && end > 0 ? total : null;
    }
}
