package org.planetarymesh.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.submitter.NodeState.BLOCKED;
import static org.planetarymesh.submitter.NodeState.DRAINING;
import static org.planetarymesh.submitter.NodeState.HEALTHY;
import static org.planetarymesh.submitter.NodeState.OFFLINE;
import static org.planetarymesh.submitter.NodeState.SUSPECT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.submitter.NodeState;

class NodeHealthTest {
    private static final long SUSPECT_MS = HealthThresholds.DEFAULTS.suspectAfter().toMillis();
    private static final long OFFLINE_MS = HealthThresholds.DEFAULTS.offlineAfter().toMillis();
    private final NodeHealth health = new NodeHealth(HealthThresholds.DEFAULTS);

    /** Every state against every kind of observation: silences on both sides of both thresholds. */
    static Stream<Arguments> everyStateAndObservation() {
        List<Arguments> all = new ArrayList<>();
        long[] silences = {0, SUSPECT_MS - 1, SUSPECT_MS, OFFLINE_MS - 1, OFFLINE_MS, 10 * OFFLINE_MS};
        for (NodeState current : NodeState.values()) {
            for (boolean member : new boolean[] {true, false}) {
                for (long silent : silences) {
                    for (boolean blocked : new boolean[] {true, false}) {
                        for (boolean draining : new boolean[] {true, false}) {
                            all.add(Arguments.of(current, new NodeObservation(member, silent, blocked, draining)));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("everyStateAndObservation")
    void when_anyStateSeesAnyObservation_then_theResultIsTheSameStateOrAnAllowedNextOne(NodeState current,
                                                                                        NodeObservation seen) {
        NodeHealth.Verdict verdict = health.next(current, seen);

        assertThat(verdict.state() == current || current.canChangeTo(verdict.state())).isTrue();
        assertThat(verdict.reason().isEmpty()).isEqualTo(verdict.state() == current);
    }

    @ParameterizedTest
    @MethodSource("everyStateAndObservation")
    void when_aNodeIsOnTheDenyList_then_itIsBlockedFromAnyState(NodeState current, NodeObservation seen) {
        if (seen.blocked()) {
            assertThat(health.next(current, seen).state()).isEqualTo(BLOCKED);
        }
    }

    @ParameterizedTest
    @MethodSource("everyStateAndObservation")
    void when_aNodeIsNotAMemberOrSilentPastTheOfflineBound_then_itIsNeverPlaceable(NodeState current,
                                                                                   NodeObservation seen) {
        if (!seen.member() || seen.silentMillis() >= OFFLINE_MS) {
            assertThat(health.next(current, seen).state()).isIn(OFFLINE, BLOCKED);
        }
    }

    @Test
    void when_heartbeatsStop_then_theNodeGoesSuspectAtThreeSecondsAndOfflineAtFive() {
        assertThat(health.next(HEALTHY, seen(SUSPECT_MS - 1)).state()).isEqualTo(HEALTHY);
        assertThat(health.next(HEALTHY, seen(SUSPECT_MS)).state()).isEqualTo(SUSPECT);
        assertThat(health.next(SUSPECT, seen(OFFLINE_MS - 1)).state()).isEqualTo(SUSPECT);
        NodeHealth.Verdict offline = health.next(SUSPECT, seen(OFFLINE_MS));
        assertThat(offline.state()).isEqualTo(OFFLINE);
        assertThat(offline.reason()).isEqualTo("no heartbeat for 5000 ms");
    }

    @Test
    void when_aSuspectNodeHeartbeatsAgain_then_itIsHealthy() {
        assertThat(health.next(SUSPECT, seen(0)).state()).isEqualTo(HEALTHY);
    }

    @Test
    void when_anOfflineNodeRejoinsButIsStillSilent_then_itStaysOfflineUntilItHeartbeats() {
        assertThat(health.next(OFFLINE, seen(SUSPECT_MS)).state()).isEqualTo(OFFLINE);
        assertThat(health.next(OFFLINE, seen(0)).state()).isEqualTo(HEALTHY);
    }

    @Test
    void when_aBlockedNodeIsUnblocked_then_itGoesOfflineFirstAndHealthyOnlyAfterRejoining() {
        NodeHealth.Verdict unblocked = health.next(BLOCKED, seen(0));
        assertThat(unblocked.state()).isEqualTo(OFFLINE);
        assertThat(unblocked.reason()).isEqualTo("unblocked");
        assertThat(health.next(OFFLINE, seen(0)).state()).isEqualTo(HEALTHY);
    }

    @Test
    void when_aHealthyNodeIsDrained_then_itDrainsAndGoesSuspectIfItFallsSilent() {
        assertThat(health.next(HEALTHY, new NodeObservation(true, 0, false, true)).state()).isEqualTo(DRAINING);
        assertThat(health.next(DRAINING, new NodeObservation(true, SUSPECT_MS, false, true)).state())
                .isEqualTo(SUSPECT);
        assertThat(health.next(DRAINING, new NodeObservation(true, 0, false, false)).state()).isEqualTo(HEALTHY);
    }

    @Test
    void when_thresholdsAreInconsistent_then_theyAreRefused() {
        assertThatThrownBy(() -> new HealthThresholds(Duration.ofSeconds(5), Duration.ofSeconds(3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static NodeObservation seen(long silentMillis) {
        return new NodeObservation(true, silentMillis, false, false);
    }
}
