package org.planetarymesh.scheduler;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Leadership of the scheduler with a fencing token.
 *
 * <p>Whoever acquires the lock gets a new, strictly higher epoch. Every write the leader makes carries
 * its epoch, and stored records refuse a write whose epoch is lower than the one that last wrote them,
 * so a leader that was paused and lost the lock cannot overwrite its successor's decisions.
 *
 * <p>The community implementation is {@link MapLeaderLock}. With Hazelcast Enterprise, a CP
 * {@code FencedLock} (whose fence is exactly such an epoch) could implement this interface instead.
 */
public interface LeaderLock {

    /**
     * Tries to become leader, waiting at most {@code wait}.
     *
     * @return the new epoch when this caller is now the leader, empty otherwise
     */
    OptionalLong tryAcquire(Duration wait) throws InterruptedException;

    /** True while {@code epoch} is still the current leadership, i.e. nobody took over since. */
    boolean holds(long epoch);

    /** The current epoch, whoever holds it (0 before any leader). */
    long currentEpoch();

    /**
     * Gives up leadership of {@code epoch}; must be called by the thread that acquired it. Does nothing
     * when another coordinator already took over (the lock went with our member's session).
     */
    void release(long epoch);
}
