package org.planetarymesh.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.grid.MeshObjects;

/**
 * {@link LeaderLock} on Hazelcast community edition: an {@link IMap} lock (released by Hazelcast when
 * the holding member leaves the cluster) plus an epoch bumped atomically by an entry processor when
 * the lock is taken. The CP subsystem, which would give a {@code FencedLock}, is not usable in 5.7
 * community edition (see docs/adr/0004).
 */
public final class MapLeaderLock implements LeaderLock {
    static final String LOCK_KEY = "leader";
    static final String EPOCH_KEY = "epoch";

    private final IMap<String, Long> map;

    public MapLeaderLock(HazelcastInstance hz) {
        this.map = hz.getMap(MeshObjects.LEADER);
    }

    @Override
    public OptionalLong tryAcquire(Duration wait) throws InterruptedException {
        if (!map.tryLock(LOCK_KEY, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(map.executeOnKey(EPOCH_KEY, new NextEpoch()));
        } catch (RuntimeException e) {
            map.unlock(LOCK_KEY);
            throw e;
        }
    }

    @Override
    public boolean holds(long epoch) {
        // Only the lock holder bumps the epoch, so an unchanged epoch means nobody took over since.
        return currentEpoch() == epoch && map.isLocked(LOCK_KEY);
    }

    @Override
    public long currentEpoch() {
        Long epoch = map.get(EPOCH_KEY);
        return epoch == null ? 0 : epoch;
    }

    @Override
    public void release(long epoch) {
        if (currentEpoch() != epoch) {
            return; // deposed: unlocking would be an unlock by a non-owner, which Hazelcast logs as an error
        }
        try {
            map.unlock(LOCK_KEY);
        } catch (IllegalMonitorStateException alreadyGone) {
            // The lock was released with our member's session; nothing to give back.
        }
    }

    /** Increments the epoch atomically on its partition and returns the new value. */
    public record NextEpoch() implements EntryProcessor<String, Long, Long> {
        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long next = (entry.getValue() == null ? 0 : entry.getValue()) + 1;
            entry.setValue(next);
            return next;
        }
    }
}
