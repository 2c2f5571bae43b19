package org.planetarymesh.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a spec: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, {@code 2d},
 * ISO-8601 {@code PT5M}, or a whole number of seconds; and back to short text for error messages.
 * The one duration reader of the project: specs and the console's options use it alike.
 */
public final class Durations {
    public static final String FORMS = "e.g. 90s, 5m, 1h30m, 250ms, PT5M, or a whole number of seconds";

    private static final Pattern SHORT = Pattern.compile("(?:\\d+(?:ms|d|h|m|s))+");
    private static final Pattern SHORT_PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final Pattern SECONDS = Pattern.compile("[+-]?\\d+");
    private static final Pattern ISO_START = Pattern.compile("[+-]?[Pp]");

    private Durations() {
    }

    /** The duration {@code text} stands for, or empty when it is none of the accepted forms (or overflows). */
    public static Optional<Duration> parse(String text) {
        String s = text.strip();
        try {
            if (SECONDS.matcher(s).matches()) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            }
            if (ISO_START.matcher(s).lookingAt()) {
                return Optional.of(Duration.parse(s));
            }
            if (!SHORT.matcher(s).matches()) {
                return Optional.empty();
            }
            Duration total = Duration.ZERO;
            Matcher part = SHORT_PART.matcher(s);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "d" -> Duration.ofDays(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMillis(amount);
                });
            }
            return Optional.of(total);
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Short text such as {@code 1h30m}, {@code 250ms} or {@code 0s}; ISO-8601 when not a whole number of ms. */
    static String format(Duration d) {
        if (d.isNegative()) {
            return d.equals(d.negated()) ? d.toString() : "-" + format(d.negated());
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        append(out, d.toDays(), "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        append(out, d.toMillisPart(), "ms");
        return out.toString();
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount != 0) {
            out.append(amount).append(unit);
        }
    }
}
