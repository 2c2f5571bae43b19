package org.planetarymesh.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Byte counts for people: {@code 256 MiB}, {@code 1.5 GiB}, {@code 512 B}. */
public final class Bytes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Bytes() {
    }

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                + " " + UNITS[unit];
    }
}
