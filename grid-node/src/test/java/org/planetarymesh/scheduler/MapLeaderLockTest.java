package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.testing.TestCluster;

/**
 * The leader lock on a two-coordinator cluster (mock network). Both coordinators stay up for the whole
 * class; a test that kills a leader starts its own extra coordinator for that. Every test starts from an
 * unlocked lock and epoch 0.
 */
class MapLeaderLockTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    private static TestCluster cluster;
    private static HazelcastInstance first;
    private static HazelcastInstance second;

    private MapLeaderLock firstLock;
    private MapLeaderLock secondLock;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start();
        first = cluster.coordinator("coordinator-1");
        second = cluster.coordinator("coordinator-2");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void freshLock() {
        firstLock = new MapLeaderLock(first);
        secondLock = new MapLeaderLock(second);
    }

    @AfterEach
    void unlockAndForgetTheEpoch() {
        // Forced, so that a failed test leaves nothing behind (and no unlock by a non-owner is attempted).
        first.getMap(MeshObjects.LEADER).forceUnlock(MapLeaderLock.LOCK_KEY);
        first.getMap(MeshObjects.LEADER).clear();
    }

    @Test
    void when_firstCoordinatorAcquires_then_epochIsOneAndSecondCannotAcquire() throws InterruptedException {
        assertThat(firstLock.currentEpoch()).isZero();

        OptionalLong epoch = firstLock.tryAcquire(NO_WAIT);

        assertThat(epoch).hasValue(1);
        assertThat(firstLock.holds(1)).isTrue();
        assertThat(secondLock.tryAcquire(Duration.ofMillis(200))).isEmpty();
        assertThat(secondLock.currentEpoch()).isEqualTo(1);
    }

    @Test
    void when_leaderMemberDies_then_otherAcquiresWithAHigherEpoch() throws InterruptedException {
        HazelcastInstance doomed = cluster.coordinator("coordinator-doomed");
        long oldEpoch = new MapLeaderLock(doomed).tryAcquire(NO_WAIT).orElseThrow();
        assertThat(firstLock.tryAcquire(NO_WAIT)).isEmpty();

        long killedAt = System.nanoTime();
        cluster.terminate(doomed);
        // Lock ownership is per thread: poll in this thread, so the lock is ours and released in @AfterEach.
        OptionalLong newEpoch = await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> firstLock.tryAcquire(Duration.ofMillis(100)), OptionalLong::isPresent);
        Duration handOver = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("leader lock hand-over after the leader was killed: %d ms%n", handOver.toMillis());

        assertThat(newEpoch.getAsLong()).isGreaterThan(oldEpoch);
        assertThat(firstLock.holds(newEpoch.getAsLong())).isTrue();
        assertThat(secondLock.holds(oldEpoch)).isFalse();
        assertThat(secondLock.tryAcquire(NO_WAIT)).isEmpty();
    }

    @Test
    void when_leaderReleases_then_holdsIsFalseAndNextAcquireBumpsEpoch() throws InterruptedException {
        long epoch = firstLock.tryAcquire(NO_WAIT).orElseThrow();

        firstLock.release(epoch);

        assertThat(firstLock.holds(epoch)).isFalse();
        assertThat(secondLock.tryAcquire(NO_WAIT)).hasValue(epoch + 1);
    }

    @Test
    void when_anotherCoordinatorTookOver_then_holdsIsFalseForTheOldEpoch() throws InterruptedException {
        long oldEpoch = firstLock.tryAcquire(NO_WAIT).orElseThrow();
        firstLock.release(oldEpoch);
        long newEpoch = secondLock.tryAcquire(NO_WAIT).orElseThrow();

        assertThat(firstLock.holds(oldEpoch)).isFalse();
        assertThat(secondLock.holds(oldEpoch)).isFalse();
        assertThat(secondLock.holds(newEpoch)).isTrue();
        assertThat(firstLock.currentEpoch()).isEqualTo(newEpoch);
    }
}
