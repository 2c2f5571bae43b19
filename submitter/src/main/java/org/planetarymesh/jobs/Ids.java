package org.planetarymesh.jobs;

import java.security.SecureRandom;

/** The one generator of job ids: time-ordered (base 36 millis) with a random suffix, e.g. {@code j-mhz3k2ab-7q4x}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Ids() {
    }

    public static String newJobId(long nowMillis) {
        StringBuilder id = new StringBuilder("j-").append(Long.toString(nowMillis, 36)).append('-');
        for (int i = 0; i < 4; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
