package org.planetarymesh.scheduler.policy;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a failed task waits before its next attempt: exponential in the failed attempts, capped, with
 * jitter so that the tasks of a sweep that failed together do not all come back in the same round.
 *
 * @param base   the wait after the first failed attempt (before jitter)
 * @param cap    the longest wait
 * @param jitter the fraction by which a wait may be shortened or lengthened, 0 to 1
 * @param random uniform numbers in [0, 1)
 */
public record RetryBackoff(Duration base, Duration cap, double jitter, DoubleSupplier random) {
    /** Retries go back to the queue at once (unit tests of other behaviour). */
    public static final RetryBackoff NONE = new RetryBackoff(Duration.ZERO, Duration.ZERO, 0, () -> 0.5);

    public RetryBackoff {
        if (base.isNegative() || cap.compareTo(base) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need 0 <= base <= cap and 0 <= jitter <= 1");
        }
    }

    /** 1 s, 2 s, 4 s ... up to 1 min, each ±25 %. */
    public static RetryBackoff standard(DoubleSupplier random) {
        return new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.25, random);
    }

    /** The wait after {@code failedAttempts} (1 or more) failed attempts, in milliseconds. */
    public long delayMillis(int failedAttempts) {
        if (base.isZero()) {
            return 0;
        }
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        double exponential = Math.min((double) base.toMillis() * (1L << doublings), cap.toMillis());
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.round(Math.min(exponential * factor, cap.toMillis()));
    }
}
