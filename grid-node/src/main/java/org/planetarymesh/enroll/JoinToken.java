package org.planetarymesh.enroll;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.submitter.MeshException;

/**
 * A join token as a person copies it: {@code pmt1.<id>.<secret>.<CA sha256 hex>}. The id names the token in
 * logs and in {@code token list}; the secret is shown once and stored only as a hash; the CA fingerprint lets
 * a new node check, before it sends the secret, that it talks to this mesh (as kubeadm's
 * {@code --discovery-token-ca-cert-hash}).
 *
 * @param id            6 characters of {@value #ALPHABET}
 * @param secret        26 characters of {@value #ALPHABET} (130 random bits)
 * @param caFingerprint the mesh CA's {@link Fingerprints#sha256}, {@code sha256:<64 hex>}
 */
public record JoinToken(String id, String secret, String caFingerprint) {
    /** The version prefix: a later format gets another one, and this parser refuses it by name. */
    public static final String PREFIX = "pmt1";
    /** RFC 4648 base32 letters in lower case: no look-alike digits 0, 1, 8, 9 to mistype. */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    static final int ID_LENGTH = 6;
    static final int SECRET_LENGTH = 26;

    private static final String FORMAT_HINT =
            "expected pmt1.<id>.<secret>.<CA sha256>, as printed by 'bin/mesh token create'";
    private static final Pattern TOKEN =
            Pattern.compile("pmt1\\.([a-z2-7]{6})\\.([a-z2-7]{26})\\.([0-9a-f]{64})");
    private static final Pattern ID = Pattern.compile("[a-z2-7]{6}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public JoinToken {
        if (id == null || !ID.matcher(id).matches()) {
            throw new MeshException("invalid join token id '" + id + "': 6 characters of " + ALPHABET);
        }
        if (secret == null || secret.length() != SECRET_LENGTH
                || !secret.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new MeshException("invalid join token secret: " + SECRET_LENGTH + " characters of " + ALPHABET);
        }
        if (caFingerprint == null || !caFingerprint.matches(Fingerprints.SHA256_PREFIX + "[0-9a-f]{64}")) {
            throw new MeshException("invalid CA fingerprint in a join token: sha256: and 64 hex digits expected");
        }
    }

    /** A new token with a random secret for the CA whose fingerprint is given; {@code id} must be unused. */
    static JoinToken create(String id, String caFingerprint) {
        return new JoinToken(id, random(SECRET_LENGTH), caFingerprint.toLowerCase(Locale.ROOT));
    }

    /** A random token id (the store makes sure it is not taken). */
    static String randomId() {
        return random(ID_LENGTH);
    }

    /**
     * Reads a token as printed by {@link #format}; blanks around it and upper case are forgiven. The message of
     * a refusal never repeats the text, which holds a secret.
     */
    public static JoinToken parse(String text) {
        if (text == null) {
            throw new MeshException("no join token given: " + FORMAT_HINT);
        }
        String token = text.strip().toLowerCase(Locale.ROOT);
        if (!token.startsWith(PREFIX + ".") && token.matches("pmt\\d+\\..*")) {
            throw new MeshException("unsupported join token version '" + token.substring(0, token.indexOf('.'))
                    + "': " + FORMAT_HINT);
        }
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw new MeshException("not a join token: " + FORMAT_HINT);
        }
        return new JoinToken(matcher.group(1), matcher.group(2), Fingerprints.SHA256_PREFIX + matcher.group(3));
    }

    /** The one copy-pasteable string: {@code pmt1.<id>.<secret>.<hex>}. */
    public String format() {
        return PREFIX + "." + id + "." + secret + "." + caFingerprint.substring(Fingerprints.SHA256_PREFIX.length());
    }

    /** Never the secret: tokens end up in logs and exception messages by accident. */
    @Override
    public String toString() {
        return "JoinToken[" + id + ", CA " + caFingerprint + "]";
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
