package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random days of an owner at their machine, against a model of the tasks that only the actions change: the
 * owner never shares the CPU with a running task, and every suspension ends in one resume or one eviction.
 */
class OwnerPolicyPropertiesTest {
    private static final OwnerPolicy.Settings SETTINGS =
            new OwnerPolicy.Settings(0.3, Duration.ofSeconds(30), Duration.ofSeconds(60), true);

    record Tick(long seconds, double load, boolean paused) {
    }

    enum Tasks { NONE, RUNNING, SUSPENDED }

    @Provide
    Arbitrary<List<Tick>> days() {
        Arbitrary<Tick> tick = Combinators.combine(
                Arbitraries.longs().between(0, 90),
                Arbitraries.of(0.0, 0.1, 0.29, 0.3, 0.6, 1.0, Double.NaN),
                Arbitraries.of(false, false, false, true))
                .as(Tick::new);
        return tick.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 2000)
    void when_theOwnerDoesAnything_then_noTaskRunsWhileTheyAreActiveOrPausedAndSuspensionsEndOnce(
            @ForAll("days") List<Tick> day, @ForAll boolean whenIdle) {
        OwnerPolicy.Settings settings = new OwnerPolicy.Settings(SETTINGS.idleLoadPerCore(), SETTINGS.idleFor(),
                SETTINGS.evictAfter(), whenIdle);
        OwnerPolicy policy = new OwnerPolicy(settings);
        Instant now = Instant.parse("2026-11-26T09:00:00Z");
        Tasks tasks = Tasks.NONE;
        Instant suspendedAt = null;

        for (Tick tick : day) {
            now = now.plusSeconds(tick.seconds());
            OwnerPolicy.Verdict verdict = policy.observe(now, tick.load(), tick.paused());
            switch (verdict.action()) {
                case SUSPEND_RUNNING -> {
                    assertThat(tasks).as("suspend what is not running").isNotEqualTo(Tasks.SUSPENDED);
                    tasks = Tasks.SUSPENDED;
                    suspendedAt = now;
                }
                case RESUME_RUNNING -> {
                    assertThat(tasks).as("resume without a suspension").isEqualTo(Tasks.SUSPENDED);
                    tasks = Tasks.RUNNING;
                }
                case EVICT_RUNNING -> {
                    assertThat(tasks).as("evict without a suspension").isEqualTo(Tasks.SUSPENDED);
                    assertThat(Duration.between(suspendedAt, now)).isGreaterThanOrEqualTo(settings.evictAfter());
                    tasks = Tasks.NONE;
                }
                case NONE -> {
                }
            }
            if (verdict.accepting()) {
                tasks = Tasks.RUNNING; // the scheduler may place work now
            }
            boolean ownerActive = whenIdle && !(tick.load() < settings.idleLoadPerCore());
            if (ownerActive || tick.paused()) {
                assertThat(tasks).as("a task runs beside the owner, %s", verdict).isNotEqualTo(Tasks.RUNNING);
                assertThat(verdict.accepting()).isFalse();
            }
            assertThat(tasks == Tasks.SUSPENDED).isEqualTo(verdict.state() == OwnerState.SUSPENDED);
        }
    }
}
