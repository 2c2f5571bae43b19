package org.planetarymesh.submitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The job state derived from task counts, over every combination of counts for jobs of up to
 * {@value #MAX_TOTAL} tasks (495 combinations) and both values of "cancel requested": 990 cases.
 */
class ProgressTest {

    static final int MAX_TOTAL = 4;

    /** Every way to spread 0..MAX_TOTAL tasks over the 8 task states. */
    static List<Progress> allSmallProgresses() {
        List<Progress> all = new ArrayList<>();
        spread(new int[TaskState.values().length], 0, 0, all);
        return all;
    }

    private static void spread(int[] counts, int state, int used, List<Progress> out) {
        if (state == counts.length) {
            out.add(new Progress(used, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
                    counts[7]));
            return;
        }
        for (int n = 0; used + n <= MAX_TOTAL; n++) {
            counts[state] = n;
            spread(counts, state + 1, used + n, out);
        }
        counts[state] = 0;
    }

    @Provide
    Arbitrary<Progress> progresses() {
        return Arbitraries.of(allSmallProgresses());
    }

    @Test
    void theEnumerationHasEveryCombinationOnce() {
        // Compositions of t into 8 parts: C(t + 7, 7) = 1 + 8 + 36 + 120 + 330.
        assertThat(allSmallProgresses()).hasSize(495).doesNotHaveDuplicates();
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void theJobStateFollowsFromTheCounts(@ForAll("progresses") Progress p, @ForAll boolean cancelRequested) {
        boolean allQueued = p.queued() == p.total();                 // an empty job has not started either
        boolean allSucceeded = p.total() > 0 && p.succeeded() == p.total();
        boolean done = p.total() > 0 && p.finished() == p.total();

        JobState state = p.jobState(cancelRequested);

        assertThat(state == JobState.QUEUED).as("QUEUED iff all queued: %s", p).isEqualTo(allQueued);
        assertThat(state == JobState.SUCCEEDED).as("SUCCEEDED iff all succeeded: %s", p).isEqualTo(allSucceeded);
        assertThat(state == JobState.CANCELLED).as("CANCELLED: %s, cancel %s", p, cancelRequested)
                .isEqualTo(done && cancelRequested && !allSucceeded);
        assertThat(state == JobState.FAILED).as("FAILED: %s, cancel %s", p, cancelRequested)
                .isEqualTo(done && !cancelRequested && !allSucceeded);
        assertThat(state == JobState.RUNNING).as("RUNNING otherwise: %s", p)
                .isEqualTo(!allQueued && !done);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void aJobIsTerminalExactlyWhenEveryTaskIs(@ForAll("progresses") Progress p, @ForAll boolean cancelRequested) {
        assertThat(p.jobState(cancelRequested).isTerminal()).isEqualTo(p.isDone());
        assertThat(p.isDone()).isEqualTo(p.total() > 0 && p.queued() + p.assigned() + p.running() == 0);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void countReadsTheFieldOfEachState(@ForAll("progresses") Progress p) {
        int sum = 0;
        for (TaskState s : TaskState.values()) {
            sum += p.count(s);
        }
        assertThat(sum).isEqualTo(p.total());
        assertThat(p.count(TaskState.QUEUED)).isEqualTo(p.queued());
        assertThat(p.count(TaskState.ASSIGNED)).isEqualTo(p.assigned());
        assertThat(p.count(TaskState.RUNNING)).isEqualTo(p.running());
        assertThat(p.count(TaskState.SUCCEEDED)).isEqualTo(p.succeeded());
        assertThat(p.count(TaskState.FAILED)).isEqualTo(p.failed());
        assertThat(p.count(TaskState.TIMED_OUT)).isEqualTo(p.timedOut());
        assertThat(p.count(TaskState.CANCELLED)).isEqualTo(p.cancelled());
        assertThat(p.count(TaskState.LOST)).isEqualTo(p.lost());
        assertThat(p.finished()).isEqualTo(p.succeeded() + p.failed() + p.timedOut() + p.cancelled() + p.lost());
    }

    @Test
    void aNewJobIsQueued_evenWithACancelRequest() {
        assertThat(Progress.allQueued(3)).isEqualTo(new Progress(3, 3, 0, 0, 0, 0, 0, 0, 0));
        assertThat(Progress.allQueued(3).jobState(false)).isEqualTo(JobState.QUEUED);
        assertThat(Progress.allQueued(3).jobState(true)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aCancelledJobWhoseTasksAllSucceededAnywayIsSucceeded() {
        Progress p = new Progress(2, 0, 0, 0, 2, 0, 0, 0, 0);

        assertThat(p.jobState(true)).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aJobWithOneFailureAndOneCancelledTaskIsCancelledOnlyIfTheCancelWasRequested() {
        Progress p = new Progress(2, 0, 0, 0, 0, 1, 0, 1, 0);

        assertThat(p.jobState(true)).isEqualTo(JobState.CANCELLED);
        assertThat(p.jobState(false)).isEqualTo(JobState.FAILED);
    }
}
