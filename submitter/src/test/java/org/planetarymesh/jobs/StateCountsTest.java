package org.planetarymesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.planetarymesh.submitter.Progress;
import org.planetarymesh.submitter.TaskState;

class StateCountsTest {

    @Test
    void aNewJobHasAllItsTasksQueued() {
        assertThat(StateCounts.allQueued(5)).isEqualTo(new StateCounts(5, 0, 0, 0, 0, 0, 0, 0));
        assertThat(StateCounts.allQueued(5).total()).isEqualTo(5);
        assertThat(StateCounts.none().total()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void plusChangesOnlyTheCountOfItsState(TaskState state) {
        StateCounts counts = new StateCounts(1, 2, 3, 4, 5, 6, 7, 8).plus(state, 10);

        Progress p = counts.toProgress();
        for (TaskState s : TaskState.values()) {
            int before = s.ordinal() + 1;
            assertThat(p.count(s)).as(s.name()).isEqualTo(s == state ? before + 10 : before);
        }
        assertThat(counts.total()).isEqualTo(36 + 10);
    }

    @Test
    void movedTakesOneFromTheSourceAndGivesItToTheTarget_forEveryPair() {
        StateCounts start = new StateCounts(2, 2, 2, 2, 2, 2, 2, 2);
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                Progress p = start.moved(from, to).toProgress();
                for (TaskState s : TaskState.values()) {
                    int expected = 2 + (s == to ? 1 : 0) - (s == from ? 1 : 0);
                    assertThat(p.count(s)).as("%s -> %s, count of %s", from, to, s).isEqualTo(expected);
                }
                assertThat(start.moved(from, to).total()).isEqualTo(start.total());
            }
        }
    }

    @Test
    void movesAreImmutable() {
        StateCounts start = StateCounts.allQueued(3);

        start.moved(TaskState.QUEUED, TaskState.ASSIGNED);

        assertThat(start).isEqualTo(StateCounts.allQueued(3));
    }

    @Test
    void aJobRunsThroughItsCounts() {
        StateCounts c = StateCounts.allQueued(2)
                .moved(TaskState.QUEUED, TaskState.ASSIGNED)
                .moved(TaskState.ASSIGNED, TaskState.RUNNING)
                .moved(TaskState.RUNNING, TaskState.SUCCEEDED)
                .moved(TaskState.QUEUED, TaskState.CANCELLED);

        assertThat(c).isEqualTo(new StateCounts(0, 0, 0, 1, 0, 0, 1, 0));
        assertThat(c.toProgress()).isEqualTo(new Progress(2, 0, 0, 0, 1, 0, 0, 1, 0));
    }
}
