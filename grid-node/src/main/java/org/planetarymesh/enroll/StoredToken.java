package org.planetarymesh.enroll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A join token as the store keeps it: the SHA-256 of its secret, never the secret. The secret has 130 random
 * bits, so an unsalted fast hash is enough: there is nothing to guess from a dictionary.
 *
 * @param id           the token's public id
 * @param secretSha256 hex SHA-256 of the secret's UTF-8 bytes
 * @param created      when it was created
 * @param expires      when it stops being accepted
 * @param uses         how many enrollments it allowed at creation
 * @param usesLeft     how many it still allows
 * @param revoked      when it was revoked, null while it is not
 */
record StoredToken(String id, String secretSha256, Instant created, Instant expires, int uses, int usesLeft,
                   Instant revoked) {

    static StoredToken of(JoinToken token, Instant now, Instant expires, int uses) {
        return new StoredToken(token.id(), sha256(token.secret()), now, expires, uses, uses, null);
    }

    /**
     * Why this token cannot be spent with {@code secret} at {@code now}, or empty if it can. The secret is
     * checked first, so someone who knows only the id learns nothing about the token's state.
     */
    Optional<TokenRefusedException> refusal(String secret, Instant now) {
        if (!MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII),
                secretSha256.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new TokenRefusedException(TokenRefusal.WRONG_SECRET,
                    "join token " + id + " was refused: its secret does not match (copy the whole token again)"));
        }
        if (revoked != null) {
            return Optional.of(new TokenRefusedException(TokenRefusal.REVOKED, "join token " + id
                    + " was revoked at " + revoked + ": ask the mesh admin for a new one"));
        }
        if (!now.isBefore(expires)) {
            return Optional.of(new TokenRefusedException(TokenRefusal.EXPIRED, "join token " + id + " expired at "
                    + expires + ": ask the mesh admin for a new one ('bin/mesh token create')"));
        }
        if (usesLeft <= 0) {
            return Optional.of(new TokenRefusedException(TokenRefusal.USED_UP, "join token " + id + " is used up ("
                    + uses + " of " + uses + " use" + (uses == 1 ? "" : "s") + " spent): ask the mesh admin for a new"
                    + " one ('bin/mesh token create')"));
        }
        return Optional.empty();
    }

    StoredToken spent() {
        return new StoredToken(id, secretSha256, created, expires, uses, usesLeft - 1, revoked);
    }

    StoredToken revokedAt(Instant now) {
        return new StoredToken(id, secretSha256, created, expires, uses, usesLeft, revoked != null ? revoked : now);
    }

    TokenInfo info() {
        return new TokenInfo(id, created, expires, uses, usesLeft, Optional.ofNullable(revoked));
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
