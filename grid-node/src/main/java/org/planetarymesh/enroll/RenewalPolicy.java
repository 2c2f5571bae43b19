package org.planetarymesh.enroll;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a node renews its certificate: once less than a third of its lifetime is left (30 of 90 days by default),
 * which leaves weeks of hourly retries before it expires if the coordinators are unreachable for a while.
 */
public final class RenewalPolicy {
    private RenewalPolicy() {
    }

    /** The moment from which {@code certificate} is due for renewal. */
    public static Instant dueAt(X509Certificate certificate) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        return notAfter.minus(Duration.between(notBefore, notAfter).dividedBy(3));
    }

    /** True if less than a third of {@code certificate}'s lifetime is left at {@code now}. */
    public static boolean isDue(X509Certificate certificate, Instant now) {
        return !now.isBefore(dueAt(certificate));
    }
}
