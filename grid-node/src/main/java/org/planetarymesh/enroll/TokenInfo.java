package org.planetarymesh.enroll;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code token list} shows of a join token: never its secret, not even its hash.
 *
 * @param id       the token's public id
 * @param created  when it was created
 * @param expires  when it stops being accepted
 * @param uses     how many enrollments it allowed at creation
 * @param usesLeft how many it still allows
 * @param revoked  when it was revoked, if it was
 */
public record TokenInfo(String id, Instant created, Instant expires, int uses, int usesLeft,
                        Optional<Instant> revoked) {

    /** {@code active}, {@code revoked}, {@code expired} or {@code used up}, as of {@code now}. */
    public String state(Instant now) {
        if (revoked.isPresent()) {
            return "revoked";
        }
        if (!now.isBefore(expires)) {
            return "expired";
        }
        return usesLeft <= 0 ? "used up" : "active";
    }
}
