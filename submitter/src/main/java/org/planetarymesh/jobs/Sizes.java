package org.planetarymesh.jobs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as people write them in a spec, and back to short text for messages. The one byte-size reader
 * and writer of the project: specs, scheduler reasons and the console use it alike.
 *
 * <p>Accepted: a whole number of bytes ({@code 1048576}), or a number and a unit, case-insensitive, with or
 * without a space ({@code 256MiB}, {@code 1.5 GiB}, {@code 512m}):
 * <ul>
 *   <li>{@code B} — bytes;</li>
 *   <li>{@code KB MB GB TB} — SI, powers of 1000;</li>
 *   <li>{@code KiB MiB GiB TiB} and Kubernetes' {@code Ki Mi Gi Ti} — powers of 1024;</li>
 *   <li>the one-letter {@code K M G T} — also powers of 1024. That is what they mean in {@code docker --memory},
 *       {@code java -Xmx} and {@code ulimit}, where people learned to write {@code 512M}; and were the writer
 *       thinking of SI units, 1024 only gives the task a little more than asked, never less.</li>
 * </ul>
 * A fraction of a byte is rounded up.
 */
public final class Sizes {
    public static final String FORMS = "e.g. 256MiB, 1.5 GiB, 512M, 2GB or a whole number of bytes";

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("kb", 1000L), Map.entry("mb", 1000L * 1000), Map.entry("gb", 1000L * 1000 * 1000),
            Map.entry("tb", 1000L * 1000 * 1000 * 1000),
            Map.entry("k", 1L << 10), Map.entry("m", 1L << 20), Map.entry("g", 1L << 30), Map.entry("t", 1L << 40),
            Map.entry("ki", 1L << 10), Map.entry("mi", 1L << 20), Map.entry("gi", 1L << 30), Map.entry("ti", 1L << 40),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30),
            Map.entry("tib", 1L << 40));
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /**
     * The bytes {@code text} stands for; empty when it is none of the accepted forms, has no unit after a
     * fraction ({@code 1.5} bytes means nothing), or does not fit a {@code long}.
     */
    public static Optional<Long> parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null || unit == 1 && m.group(1).contains(".")) {
            return Optional.empty();
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit))
                .setScale(0, RoundingMode.CEILING);
        try {
            return Optional.of(bytes.longValueExact());
        } catch (ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }

    /** Short text in binary units: {@code 512 B}, {@code 256 MiB}, {@code 1.5 GiB}, at most one decimal. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        double tenths = Math.floor(value * 10) / 10;
        String number = tenths == Math.rint(tenths) ? String.valueOf((long) tenths)
                : String.format(Locale.ROOT, "%.1f", tenths);
        return number + " " + BINARY[unit];
    }
}
