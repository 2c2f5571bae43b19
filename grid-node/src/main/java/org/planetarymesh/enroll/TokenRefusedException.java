package org.planetarymesh.enroll;

import org.planetarymesh.submitter.MeshException;

/** A join token was refused: an expected outcome, so it carries a message for people and no stack trace. */
public final class TokenRefusedException extends MeshException {
    private final TokenRefusal reason;

    TokenRefusedException(TokenRefusal reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TokenRefusal reason() {
        return reason;
    }
}
