package org.planetarymesh.health;

import java.time.Duration;

/**
 * How long a node may stay silent.
 *
 * @param suspectAfter no heartbeat for this long: SUSPECT (no new tasks)
 * @param offlineAfter no heartbeat for this long: OFFLINE (tasks requeued); Hazelcast's failure detector is
 *                     set to the same bound, so membership and heartbeats agree
 */
public record HealthThresholds(Duration suspectAfter, Duration offlineAfter) {
    public static final HealthThresholds DEFAULTS = new HealthThresholds(Duration.ofSeconds(3), Duration.ofSeconds(5));

    public HealthThresholds {
        if (suspectAfter.isNegative() || suspectAfter.isZero() || offlineAfter.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("need 0 < suspectAfter < offlineAfter, got " + suspectAfter + " and "
                    + offlineAfter);
        }
    }
}
