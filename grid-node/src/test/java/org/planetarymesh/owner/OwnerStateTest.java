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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one transition table, written out again here pair by pair so a change to it is a change to this test. */
class OwnerStateTest {
    private static final Map<OwnerState, Map<OwnerState, OwnerAction>> EXPECTED = Map.of(
            WAITING_FOR_IDLE, Map.of(ACCEPTING, NONE, PAUSED, NONE),
            ACCEPTING, Map.of(SUSPENDED, SUSPEND_RUNNING),
            SUSPENDED, Map.of(RESUMED, RESUME_RUNNING, ACCEPTING, RESUME_RUNNING,
                    WAITING_FOR_IDLE, EVICT_RUNNING, PAUSED, EVICT_RUNNING),
            RESUMED, Map.of(ACCEPTING, NONE, SUSPENDED, SUSPEND_RUNNING),
            PAUSED, Map.of(ACCEPTING, NONE, WAITING_FOR_IDLE, NONE));

    static Stream<Arguments> everyPairOfStates() {
        List<Arguments> pairs = new ArrayList<>();
        for (OwnerState from : OwnerState.values()) {
            for (OwnerState to : OwnerState.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStates")
    void when_anyStateChangesToAnyOther_then_theTableAllowsExactlyTheListedChangesWithTheirAction(OwnerState from,
                                                                                               OwnerState to) {
        OwnerAction expected = from == to ? NONE : EXPECTED.get(from).get(to);

        assertThat(from.canChangeTo(to)).isEqualTo(from != to && expected != null);
        if (expected == null) {
            assertThatThrownBy(() -> from.actionTo(to)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("owner state " + from + " cannot change to " + to);
        } else {
            assertThat(from.actionTo(to)).isEqualTo(expected);
        }
    }

    @Test
    void when_theStatesAreListed_then_onlyAcceptingTakesWork() {
        assertThat(OwnerState.values()).filteredOn(OwnerState::accepting).containsExactly(ACCEPTING);
    }

    @Test
    void when_aStateMayHoldRunningTasks_then_itIsLeftOnlyBySuspendingThem() {
        // ACCEPTING and RESUMED are where tasks run; every way out of them stops those tasks first
        for (OwnerState running : List.of(ACCEPTING, RESUMED)) {
            for (OwnerState next : running.allowedNext()) {
                assertThat(next == ACCEPTING || running.actionTo(next) == SUSPEND_RUNNING)
                        .as("%s -> %s", running, next).isTrue();
            }
        }
    }

    @Test
    void when_tasksAreSuspended_then_everyWayOutResumesOrEvictsThem() {
        assertThat(SUSPENDED.allowedNext()).allSatisfy(next ->
                assertThat(SUSPENDED.actionTo(next)).isIn(RESUME_RUNNING, EVICT_RUNNING));
    }
}
