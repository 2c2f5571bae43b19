package org.planetarymesh.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.TaskState;

class ReportSinkTest {

    private static TaskReport ended(String attemptId) {
        return new TaskReport("t", attemptId, "n1", TaskState.SUCCEEDED, 0, "", "", false, 1, 2, "", false, -1, -1);
    }

    @Test
    void when_anAttemptsResultIsInTheSameBatch_then_itsRunningReportIsDropped() {
        List<TaskReport> batch = new ArrayList<>(List.of(
                TaskReport.running("t", "a@1", "n1", 1), TaskReport.running("u", "b@1", "n1", 1), ended("a@1")));

        ReportSink.foldRunningIntoResults(batch);

        assertThat(batch).extracting(TaskReport::attemptId, TaskReport::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b@1", TaskState.RUNNING),
                        org.assertj.core.groups.Tuple.tuple("a@1", TaskState.SUCCEEDED));
    }
}
