package org.planetarymesh.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Values as people read them: short durations, binary units, local times. Pure functions. */
final class Human {
    /** What an empty cell shows. */
    static final String NONE = "-";

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);
    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Human() {
    }

    /** {@code 850ms}, {@code 4.2s}, {@code 2m 13s}, {@code 1h 05m}, {@code 2d 03h}. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long millis = d.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", seconds / 3_600, seconds % 3_600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", seconds / 86_400, seconds % 86_400 / 3_600);
    }

    static String duration(Optional<Duration> d) {
        return d.map(Human::duration).orElse(NONE);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 15.6 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, BINARY_UNITS[unit]);
    }

    /** A round trip: {@code 0.35 ms}, {@code 12 ms}. */
    static String latency(long micros) {
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
        }
        return Math.round(micros / 1000.0) + " ms";
    }

    /** {@code 2026-11-26 10:00:00} in the console's time zone. */
    static String time(Instant instant, ZoneId zone) {
        return LOCAL_TIME.format(instant.atZone(zone));
    }

    static String time(Optional<Instant> instant, ZoneId zone) {
        return instant.map(i -> time(i, zone)).orElse(NONE);
    }

    /** {@code x=1 y=b}, in sweep order. */
    static String params(Map<String, String> params) {
        return params.isEmpty() ? NONE : params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** The first non-blank line of {@code text}, cut to {@code max} characters; {@code ...} marks anything left out. */
    static String firstLine(String text, int max) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        String line = (end < 0 ? trimmed : trimmed.substring(0, end)).stripTrailing();
        boolean more = end >= 0;
        if (line.length() > max) {
            return line.substring(0, Math.max(0, max - 3)) + "...";
        }
        return more ? line + " ..." : line;
    }

    /** {@code text} on one line, cut to {@code max} characters. */
    static String oneLine(String text, int max) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String line = text.strip().replaceAll("\\s*\\R\\s*", " | ");
        return line.length() > max ? line.substring(0, Math.max(0, max - 3)) + "..." : line;
    }
}
