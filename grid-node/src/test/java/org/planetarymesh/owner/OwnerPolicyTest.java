package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.owner.OwnerAction.EVICT_RUNNING;
import static org.planetarymesh.owner.OwnerAction.NONE;
import static org.planetarymesh.owner.OwnerAction.RESUME_RUNNING;
import static org.planetarymesh.owner.OwnerAction.SUSPEND_RUNNING;
import static org.planetarymesh.owner.OwnerState.ACCEPTING;
import static org.planetarymesh.owner.OwnerState.PAUSED;
import static org.planetarymesh.owner.OwnerState.RESUMED;
import static org.planetarymesh.owner.OwnerState.SUSPENDED;
import static org.planetarymesh.owner.OwnerState.WAITING_FOR_IDLE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OwnerPolicyTest {
    private static final OwnerPolicy.Settings WHEN_IDLE = OwnerPolicy.Settings.defaults(true);
    private static final OwnerPolicy.Settings ALWAYS = OwnerPolicy.Settings.defaults(false);
    private static final Duration IDLE_FOR = WHEN_IDLE.idleFor();
    private static final Duration EVICT_AFTER = WHEN_IDLE.evictAfter();
    private static final double IDLE = 0.05;
    private static final double BUSY = 0.82;
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    /** A policy and its clock, driven through observations as the watch would drive it. */
    private static final class Run {
        final OwnerPolicy policy;
        Instant now = T0;

        Run(OwnerPolicy.Settings settings) {
            policy = new OwnerPolicy(settings);
        }

        OwnerPolicy.Verdict after(Duration step, double load, boolean paused) {
            now = now.plus(step);
            return policy.observe(now, load, paused);
        }

        OwnerPolicy.Verdict after(Duration step, double load) {
            return after(step, load, false);
        }

        /** Every second for {@code span}, the same input; the verdicts in order. */
        List<OwnerPolicy.Verdict> forSeconds(long span, double load, boolean paused) {
            List<OwnerPolicy.Verdict> out = new ArrayList<>();
            for (long s = 0; s < span; s++) {
                out.add(after(Duration.ofSeconds(1), load, paused));
            }
            return out;
        }
    }

    /** A policy brought into {@code state} the way a real node gets there, or null if it cannot get there. */
    private static Run in(OwnerState state, OwnerPolicy.Settings settings) {
        Run run = new Run(settings);
        if (!settings.whenIdle()) {
            return switch (state) {
                case ACCEPTING -> run;
                case SUSPENDED -> reached(run, run.after(Duration.ofSeconds(1), IDLE, true), state);
                case PAUSED -> {
                    run.after(Duration.ofSeconds(1), IDLE, true);
                    yield reached(run, run.after(EVICT_AFTER, IDLE, true), state);
                }
                case WAITING_FOR_IDLE, RESUMED -> null; // only the owner's load leads there
            };
        }
        switch (state) {
            case WAITING_FOR_IDLE -> {
                return run;
            }
            case PAUSED -> {
                return reached(run, run.after(Duration.ofSeconds(1), IDLE, true), state);
            }
            default -> {
                run.after(Duration.ZERO, IDLE);
                reached(run, run.after(IDLE_FOR, IDLE), ACCEPTING);
                if (state == ACCEPTING) {
                    return run;
                }
                reached(run, run.after(Duration.ofSeconds(1), BUSY), SUSPENDED);
                if (state == SUSPENDED) {
                    return run;
                }
                return reached(run, run.after(Duration.ofSeconds(1), IDLE), RESUMED);
            }
        }
    }

    private static Run reached(Run run, OwnerPolicy.Verdict verdict, OwnerState state) {
        assertThat(verdict.state()).as("set-up").isEqualTo(state);
        return run;
    }

    static Stream<Arguments> everyStateAndInput() {
        List<Arguments> all = new ArrayList<>();
        double[] loads = {0.0, 0.29, 0.3, BUSY, 1.0, Double.NaN};
        Duration[] steps = {Duration.ofSeconds(1), IDLE_FOR, EVICT_AFTER.minusSeconds(1), EVICT_AFTER,
            EVICT_AFTER.multipliedBy(3)};
        for (OwnerPolicy.Settings settings : List.of(WHEN_IDLE, ALWAYS)) {
            for (OwnerState state : OwnerState.values()) {
                if (in(state, settings) == null) {
                    continue;
                }
                for (double load : loads) {
                    for (boolean paused : new boolean[] {false, true}) {
                        for (Duration step : steps) {
                            all.add(Arguments.of(settings.whenIdle(), state, load, paused, step));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "whenIdle={0} {1} load={2} paused={3} after {4}")
    @MethodSource("everyStateAndInput")
    void when_anyStateSeesAnyInput_then_theVerdictFollowsTheTableAndIsConsistent(boolean whenIdle, OwnerState state,
                                                                                double load, boolean paused,
                                                                                Duration step) {
        OwnerPolicy.Settings settings = whenIdle ? WHEN_IDLE : ALWAYS;
        Run run = in(state, settings);

        OwnerPolicy.Verdict verdict = run.after(step, load, paused);

        assertThat(verdict.state() == state || state.canChangeTo(verdict.state())).isTrue();
        assertThat(verdict.action()).isEqualTo(state.actionTo(verdict.state()));
        assertThat(verdict.accepting()).isEqualTo(verdict.state() == ACCEPTING);
        assertThat(verdict.unavailableReason().isEmpty()).isEqualTo(verdict.accepting());
        assertThat(run.policy.state()).isEqualTo(verdict.state());
        boolean ownerActive = whenIdle && !(load < settings.idleLoadPerCore());
        if (paused || ownerActive) {
            assertThat(verdict.accepting()).as("accepting while the owner wants the machine").isFalse();
            assertThat(verdict.state()).as("tasks left running").isIn(WAITING_FOR_IDLE, SUSPENDED, PAUSED);
        }
        if (paused) {
            assertThat(verdict.unavailableReason()).isEqualTo("paused by its owner");
        }
        if (!whenIdle) {
            assertThat(verdict.state()).as("no owner load without --when-idle").isNotIn(WAITING_FOR_IDLE, RESUMED);
        }
    }

    @Test
    void when_theNodeStartsWithWhenIdle_then_itWaitsForTheOwnerToBeIdleForFiveMinutes() {
        Run run = new Run(WHEN_IDLE);

        assertThat(run.after(Duration.ZERO, IDLE).unavailableReason()).isEqualTo("waiting for 5m of idle (0s so far)");
        OwnerPolicy.Verdict later = run.after(Duration.ofSeconds(132), IDLE);
        assertThat(later.state()).isEqualTo(WAITING_FOR_IDLE);
        assertThat(later.unavailableReason()).isEqualTo("waiting for 5m of idle (2m12s so far)");
        assertThat(run.after(IDLE_FOR.minusSeconds(133), IDLE).accepting()).isFalse();

        OwnerPolicy.Verdict accepting = run.after(Duration.ofSeconds(1), IDLE);
        assertThat(accepting).isEqualTo(new OwnerPolicy.Verdict(ACCEPTING, true, "", NONE));
    }

    @Test
    void when_oneBusySampleComesDuringTheIdlePeriod_then_thePeriodStartsAgain() {
        Run run = new Run(WHEN_IDLE);
        run.after(Duration.ZERO, IDLE);
        run.after(Duration.ofMinutes(4), IDLE);

        OwnerPolicy.Verdict busy = run.after(Duration.ofSeconds(1), BUSY);
        assertThat(busy.unavailableReason()).isEqualTo("owner active (load 0.82/core)");

        run.after(Duration.ofSeconds(1), IDLE);
        assertThat(run.after(Duration.ofMinutes(4), IDLE).state()).isEqualTo(WAITING_FOR_IDLE);
        assertThat(run.after(Duration.ofMinutes(1), IDLE).state()).isEqualTo(ACCEPTING);
    }

    @Test
    void when_theLoadIsExactlyTheThreshold_then_theOwnerCountsAsActive() {
        Run run = in(ACCEPTING, WHEN_IDLE);

        assertThat(run.after(Duration.ofSeconds(1), 0.3).action()).isEqualTo(SUSPEND_RUNNING);
    }

    @Test
    void when_theLoadIsUnknown_then_theOwnerCountsAsActive() {
        Run run = in(ACCEPTING, WHEN_IDLE);

        OwnerPolicy.Verdict verdict = run.after(Duration.ofSeconds(1), Double.NaN);
        assertThat(verdict.action()).isEqualTo(SUSPEND_RUNNING);
        assertThat(verdict.unavailableReason()).isEqualTo("owner load unknown");
    }

    @Test
    void when_theOwnerComesBackDuringTheGrace_then_tasksAreSuspendedOnceAndResumedOnceButNewWorkWaits() {
        Run run = in(ACCEPTING, WHEN_IDLE);

        List<OwnerPolicy.Verdict> busy = run.forSeconds(120, BUSY, false);
        assertThat(busy).extracting(OwnerPolicy.Verdict::action).containsOnlyOnce(SUSPEND_RUNNING)
                .first().isEqualTo(SUSPEND_RUNNING);
        assertThat(busy).extracting(OwnerPolicy.Verdict::state).containsOnly(SUSPENDED);

        List<OwnerPolicy.Verdict> idle = run.forSeconds(IDLE_FOR.toSeconds() + 1, IDLE, false);
        assertThat(idle.get(0)).isEqualTo(new OwnerPolicy.Verdict(RESUMED, false,
                "waiting for 5m of idle (0s so far)", RESUME_RUNNING));
        assertThat(idle).extracting(OwnerPolicy.Verdict::action).containsOnlyOnce(RESUME_RUNNING)
                .doesNotContain(EVICT_RUNNING);
        assertThat(idle.get(idle.size() - 2).state()).isEqualTo(RESUMED);
        assertThat(idle.get(idle.size() - 1).state()).isEqualTo(ACCEPTING);
    }

    @Test
    void when_theOwnerStaysPastTheGrace_then_tasksAreEvictedOnceAndTheNodeWaitsForIdleAgain() {
        Run run = in(ACCEPTING, WHEN_IDLE);

        List<OwnerPolicy.Verdict> busy = run.forSeconds(EVICT_AFTER.toSeconds() + 600, BUSY, false);
        assertThat(busy).extracting(OwnerPolicy.Verdict::action)
                .containsOnlyOnce(SUSPEND_RUNNING, EVICT_RUNNING).doesNotContain(RESUME_RUNNING);
        int evicted = busy.stream().map(OwnerPolicy.Verdict::action).toList().indexOf(EVICT_RUNNING);
        assertThat(evicted).as("seconds suspended").isEqualTo(EVICT_AFTER.toSeconds());
        assertThat(busy.get(evicted).state()).isEqualTo(WAITING_FOR_IDLE);
        assertThat(busy.get(busy.size() - 1).state()).isEqualTo(WAITING_FOR_IDLE);

        List<OwnerPolicy.Verdict> idle = run.forSeconds(IDLE_FOR.toSeconds() + 1, IDLE, false);
        assertThat(idle).extracting(OwnerPolicy.Verdict::action).containsOnly(NONE);
        assertThat(idle.get(idle.size() - 2).state()).isEqualTo(WAITING_FOR_IDLE);
        assertThat(idle.get(idle.size() - 1).state()).isEqualTo(ACCEPTING);
    }

    @Test
    void when_theOwnerFlapsDuringTheGrace_then_eachSuspensionHasItsOwnGrace() {
        Run run = in(ACCEPTING, WHEN_IDLE);

        run.after(Duration.ofSeconds(1), BUSY);
        run.after(EVICT_AFTER.minusSeconds(1), BUSY);
        assertThat(run.after(Duration.ofSeconds(1), IDLE).action()).isEqualTo(RESUME_RUNNING);
        assertThat(run.after(Duration.ofSeconds(1), BUSY).action()).isEqualTo(SUSPEND_RUNNING);
        assertThat(run.after(EVICT_AFTER.minusSeconds(1), BUSY).action()).isEqualTo(NONE);
        assertThat(run.after(Duration.ofSeconds(1), BUSY).action()).isEqualTo(EVICT_RUNNING);
    }

    @Test
    void when_theOwnerLeavesOnTheTickTheGraceRunsOut_then_theTasksAreResumedNotEvicted() {
        Run run = in(SUSPENDED, WHEN_IDLE);

        assertThat(run.after(EVICT_AFTER, IDLE).action()).isEqualTo(RESUME_RUNNING);
    }

    @Test
    void when_theOwnerPausesARunningNode_then_newWorkStopsAndTasksAreSuspendedAtOnceWhateverTheLoad() {
        for (OwnerPolicy.Settings settings : List.of(WHEN_IDLE, ALWAYS)) {
            Run run = in(ACCEPTING, settings);

            OwnerPolicy.Verdict paused = run.after(Duration.ofSeconds(1), IDLE, true);

            assertThat(paused).isEqualTo(new OwnerPolicy.Verdict(SUSPENDED, false, "paused by its owner",
                    SUSPEND_RUNNING));
        }
    }

    @Test
    void when_thePauseLastsPastTheGrace_then_tasksAreEvictedOnceAndTheNodeStaysPaused() {
        Run run = in(ACCEPTING, ALWAYS);

        List<OwnerPolicy.Verdict> paused = run.forSeconds(EVICT_AFTER.toSeconds() + 60, IDLE, true);

        assertThat(paused).extracting(OwnerPolicy.Verdict::action).containsOnlyOnce(SUSPEND_RUNNING, EVICT_RUNNING);
        assertThat(paused.get(paused.size() - 1)).isEqualTo(new OwnerPolicy.Verdict(PAUSED, false,
                "paused by its owner", NONE));
        assertThat(run.after(Duration.ofSeconds(1), IDLE, false)).isEqualTo(new OwnerPolicy.Verdict(ACCEPTING, true,
                "", NONE));
    }

    @Test
    void when_theOwnerResumesWithinTheGrace_then_theTasksContinueAndWithoutWhenIdleNewWorkComesAtOnce() {
        Run run = in(ACCEPTING, ALWAYS);
        run.after(Duration.ofSeconds(1), IDLE, true);

        assertThat(run.after(Duration.ofMinutes(3), BUSY, false)).isEqualTo(new OwnerPolicy.Verdict(ACCEPTING, true,
                "", RESUME_RUNNING));
    }

    @Test
    void when_aPausedMachineStayedIdle_then_resumingTakesWorkAtOnceBecauseIdleIsTimedThroughThePause() {
        Run run = new Run(WHEN_IDLE);
        run.after(Duration.ZERO, IDLE, true);
        run.after(IDLE_FOR, IDLE, true);

        assertThat(run.after(Duration.ofSeconds(1), IDLE, false).state()).isEqualTo(ACCEPTING);
    }

    @Test
    void when_theOwnerResumesWhileStillBusy_then_tasksStaySuspendedForTheOwner() {
        Run run = in(ACCEPTING, WHEN_IDLE);
        run.after(Duration.ofSeconds(1), IDLE, true);

        OwnerPolicy.Verdict busy = run.after(Duration.ofSeconds(1), BUSY, false);
        assertThat(busy).isEqualTo(new OwnerPolicy.Verdict(SUSPENDED, false, "owner active (load 0.82/core)", NONE));
    }

    @Test
    void when_theNodeRunsWithoutWhenIdle_then_theOwnersLoadIsIgnored() {
        Run run = new Run(ALWAYS);

        assertThat(run.forSeconds(3600, 1.0, false)).allSatisfy(v ->
                assertThat(v).isEqualTo(new OwnerPolicy.Verdict(ACCEPTING, true, "", NONE)));
    }

    @Test
    void when_settingsAreOutOfRange_then_theyAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new OwnerPolicy.Settings(0, IDLE_FOR, EVICT_AFTER, true))
                .hasMessage("idle load per core must be above 0 and at most 1, not 0.0");
        assertThatThrownBy(() -> new OwnerPolicy.Settings(1.5, IDLE_FOR, EVICT_AFTER, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OwnerPolicy.Settings(0.3, Duration.ofSeconds(-1), EVICT_AFTER, true))
                .hasMessage("idle-for and evict-after must not be negative");
    }

    @Test
    void when_durationsAreShownToPeople_then_theyAreShort() {
        assertThat(OwnerPolicy.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(OwnerPolicy.duration(Duration.ofSeconds(132))).isEqualTo("2m12s");
        assertThat(OwnerPolicy.duration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(OwnerPolicy.duration(Duration.ofMinutes(65).plusSeconds(1))).isEqualTo("1h5m1s");
    }
}
