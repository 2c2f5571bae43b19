package org.planetarymesh.enroll;

/** Why a join token was not accepted. Each has its own message, so the person joining knows what to do. */
public enum TokenRefusal {
    /** No token with this id in the store: never created here, or removed a week after it expired. */
    UNKNOWN,
    /** The id exists, the secret is not its secret. */
    WRONG_SECRET,
    /** Revoked with {@code token revoke}. */
    REVOKED,
    /** Its time to live has passed. */
    EXPIRED,
    /** Every use has been spent. */
    USED_UP
}
