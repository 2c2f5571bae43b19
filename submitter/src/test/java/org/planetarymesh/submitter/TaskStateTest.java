package org.planetarymesh.submitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the task transition table against a copy written out by hand, pair by pair. */
class TaskStateTest {

    /** The expected table: X = allowed. Rows are "from", columns are "to", both in declaration order. */
    private static final String EXPECTED = """
            from \\ to   QUEUED  ASSIGNED  RUNNING  SUCCEEDED  FAILED  TIMED_OUT  CANCELLED  LOST
            QUEUED       .       X         .        .          .       .          X          .
            ASSIGNED     X       .         X        X          X       X          X          X
            RUNNING      X       .         .        X          X       X          X          X
            SUCCEEDED    .       .         .        .          .       .          .          .
            FAILED       .       .         .        .          .       .          .          .
            TIMED_OUT    .       .         .        .          .       .          .          .
            CANCELLED    .       .         .        .          .       .          .          .
            LOST         .       .         .        .          .       .          .          .
            """;

    static Stream<Arguments> everyPair() {
        List<String> lines = EXPECTED.lines().toList();
        List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
        List<Arguments> pairs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            TaskState from = TaskState.valueOf(cells[0]);
            for (int col = 1; col < cells.length; col++) {
                TaskState to = TaskState.valueOf(header.get(col + 2)); // header starts with "from \ to"
                pairs.add(Arguments.of(from, to, cells[col].equals("X")));
            }
        }
        return pairs.stream();
    }

    @Test
    void theExpectedTableCoversEveryPairOnce() {
        assertThat(everyPair().map(a -> a.get()[0] + "->" + a.get()[1]))
                .hasSize(TaskState.values().length * TaskState.values().length)
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void theTableAllowsExactlyTheExpectedTransitions(TaskState from, TaskState to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        assertThat(from.allowedNext().contains(to)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void noStateTransitionsToItself(TaskState state) {
        assertThat(state.canTransitionTo(state)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = TaskState.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST"})
    void terminalStatesHaveNoExits(TaskState state) {
        assertThat(state.isTerminal()).isTrue();
        assertThat(state.allowedNext()).isEmpty();
        assertThat(EnumSet.allOf(TaskState.class)).noneMatch(state::canTransitionTo);
    }

    @ParameterizedTest
    @EnumSource(value = TaskState.class, names = {"QUEUED", "ASSIGNED", "RUNNING"})
    void everyLiveStateCanBeCancelledAndIsNotTerminal(TaskState state) {
        assertThat(state.isTerminal()).isFalse();
        assertThat(state.canTransitionTo(TaskState.CANCELLED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void onlyAssignedAndRunningTasksHoldASlot(TaskState state) {
        assertThat(state.isOnNode()).isEqualTo(state == TaskState.ASSIGNED || state == TaskState.RUNNING);
    }

    @Test
    void everyStateIsReachableFromQueued() {
        Set<TaskState> seen = EnumSet.of(TaskState.QUEUED);
        Deque<TaskState> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            for (TaskState next : todo.pop().allowedNext()) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(TaskState.values());
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void allowedNextIsACopyThatCallersCannotUseToChangeTheTable(TaskState state) {
        Set<TaskState> next = state.allowedNext();
        next.clear();
        assertThat(state.allowedNext()).hasSameSizeAs(everyPair()
                .filter(a -> a.get()[0] == state && (boolean) a.get()[2]).toList());
    }
}
