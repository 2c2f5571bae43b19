package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop with a hand-moved clock, a load we set, and tasks that only count: no thread unless started. */
class OwnerWatchTest {
    private static final OwnerPolicy.Settings SETTINGS =
            new OwnerPolicy.Settings(0.3, Duration.ofSeconds(10), Duration.ofSeconds(30), true);

    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-26T09:00:00Z"));
    private volatile double load = 0.0;
    private final RecordingTasks tasks = new RecordingTasks();
    private final List<String> availability = Collections.synchronizedList(new ArrayList<>());
    private OwnerWatch watch = new OwnerWatch("lab-3", SETTINGS, () -> load, tasks, availability::add, clock);

    @AfterEach
    void close() {
        watch.close();
    }

    @Test
    void when_theOwnerIsIdleLongEnough_then_theNodeTakesWorkAndTheAgentIsToldSo() {
        watch.tick();
        assertThat(watch.accepting()).isFalse();
        assertThat(availability).containsExactly("waiting for 10s of idle (0s so far)");

        clock.move(Duration.ofSeconds(10));
        OwnerStatus status = watch.tick();

        assertThat(status).isEqualTo(new OwnerStatus("lab-3", OwnerState.ACCEPTING, true, "", 0, 0, 0.0));
        assertThat(watch.accepting()).isTrue();
        assertThat(availability).last().isEqualTo("");
    }

    @Test
    void when_theOwnerComesBackAndLeavesWithinTheGrace_then_tasksAreSuspendedOnceAndResumedOnce() {
        accepting();
        tasks.running = 2;

        load = 0.9;
        for (int s = 0; s < 5; s++) {
            clock.move(Duration.ofSeconds(1));
            watch.tick();
        }
        assertThat(watch.status()).isEqualTo(new OwnerStatus("lab-3", OwnerState.SUSPENDED, false,
                "owner active (load 0.90/core)", 0, 2, 0.9));

        load = 0.1;
        clock.move(Duration.ofSeconds(1));
        watch.tick();
        clock.move(Duration.ofSeconds(1));
        watch.tick();

        assertThat(tasks.calls).containsExactly("suspend", "resume");
        assertThat(watch.status().state()).isEqualTo(OwnerState.RESUMED);
        assertThat(watch.accepting()).isFalse();
    }

    @Test
    void when_theOwnerStaysPastTheGrace_then_tasksAreEvictedOnceWithTheReason() {
        accepting();
        tasks.running = 1;

        load = 0.9;
        for (int s = 0; s < 60; s++) {
            clock.move(Duration.ofSeconds(1));
            watch.tick();
        }

        assertThat(tasks.calls).containsExactly("suspend",
                "evict: evicted for the owner after 30s suspended: owner active (load 0.90/core)");
        assertThat(watch.status().state()).isEqualTo(OwnerState.WAITING_FOR_IDLE);
    }

    @Test
    void when_theOwnerPauses_then_tasksAreSuspendedBeforeTheAnswerAndResumedOnResume() {
        accepting();
        tasks.running = 2;

        OwnerStatus paused = watch.pause();

        assertThat(paused).isEqualTo(new OwnerStatus("lab-3", OwnerState.SUSPENDED, false, "paused by its owner", 0,
                2, 0.0));
        assertThat(watch.accepting()).isFalse();
        assertThat(watch.pause().state()).as("a second pause changes nothing").isEqualTo(OwnerState.SUSPENDED);
        assertThat(tasks.calls).containsExactly("suspend");

        OwnerStatus resumed = watch.resume();

        assertThat(resumed.state()).isEqualTo(OwnerState.ACCEPTING); // the machine stayed idle through the pause
        assertThat(resumed.running()).isEqualTo(2);
        assertThat(tasks.calls).containsExactly("suspend", "resume");
    }

    @Test
    void when_theTasksCannotBeSuspended_then_theWatchGoesOnAndSaysSoInOneLine() {
        accepting();
        tasks.failNext = true;

        load = 0.9;
        clock.move(Duration.ofSeconds(1));
        OwnerStatus status = watch.tick();

        assertThat(status.state()).isEqualTo(OwnerState.SUSPENDED);
        clock.move(Duration.ofSeconds(40));
        assertThat(watch.tick().state()).isEqualTo(OwnerState.WAITING_FOR_IDLE);
    }

    @Test
    void when_theLoadCannotBeRead_then_theStatusShowsNoLoadAndTheNodeTakesNoWork() {
        load = Double.NaN;

        OwnerStatus status = watch.tick();

        assertThat(status.load()).isNull();
        assertThat(status.reason()).isEqualTo("owner load unknown");
    }

    @Test
    void when_started_then_itTicksOnItsOwnThreadUntilClosed() {
        watch.close();
        OwnerPolicy.Settings quick = new OwnerPolicy.Settings(0.3, Duration.ZERO, Duration.ofMinutes(10), true);
        watch = new OwnerWatch("lab-3", quick, () -> load, tasks, availability::add, Clock.systemUTC())
                .start(Duration.ofMillis(10));

        await().atMost(Duration.ofSeconds(5)).until(watch::accepting);
        load = 0.9;
        await().atMost(Duration.ofSeconds(5)).until(() -> tasks.calls.contains("suspend"));
        assertThat(watch.accepting()).isFalse();
    }

    /** Ten seconds of idle: the node accepts. */
    private void accepting() {
        watch.tick();
        clock.move(SETTINGS.idleFor());
        assertThat(watch.tick().state()).isEqualTo(OwnerState.ACCEPTING);
    }

    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
