package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aTask;

import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.TaskState;

class MergeRuleTest {

    @Test
    void when_oneSideFinishedTheTask_then_itsCopyWinsWhateverTheEpochs() {
        TaskRecord done = aTask().in(TaskState.SUCCEEDED).writtenBy(3).build();
        TaskRecord running = aTask().in(TaskState.RUNNING).writtenBy(9).build();

        assertThat(MergeRule.prefersMerging(done, running)).isTrue();
        assertThat(MergeRule.prefersMerging(running, done)).isFalse();
    }

    @Test
    void when_bothAreUnfinished_then_theHigherEpochWinsAndATieKeepsTheExistingCopy() {
        TaskRecord older = aTask().in(TaskState.RUNNING).writtenBy(3).build();
        TaskRecord newer = aTask().assignedTo("agent-2").writtenBy(4).build();

        assertThat(MergeRule.prefersMerging(newer, older)).isTrue();
        assertThat(MergeRule.prefersMerging(older, newer)).isFalse();
        assertThat(MergeRule.prefersMerging(older, aTask().in(TaskState.RUNNING).writtenBy(3).build())).isFalse();
    }

    @Test
    void when_theValuesAreNotMeshRecords_then_theExistingOneStays() {
        assertThat(MergeRule.prefersMerging("x", "y")).isFalse();
    }
}
