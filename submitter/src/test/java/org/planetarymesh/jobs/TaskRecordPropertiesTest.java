package org.planetarymesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.EPOCH;
import static org.planetarymesh.jobs.RecordFixtures.JOB;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.failure;
import static org.planetarymesh.jobs.RecordFixtures.report;
import static org.planetarymesh.jobs.RecordFixtures.success;
import static org.planetarymesh.jobs.RecordFixtures.timeout;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.planetarymesh.jobs.TaskRecord.IllegalTransitionException;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.TaskState;

/**
 * Random lives of a job's tasks: any sequence of calls, legal or not, against a small model of what each
 * call must do. The job's counts are kept with {@link StateCounts#moved} as the scheduler keeps them.
 */
class TaskRecordPropertiesTest {

    private static final int TASKS = 3;

    enum Call { ASSIGN, RUNNING, SUCCESS, FAILURE, TIMEOUT, KILLED, LOST, REQUEUE, CANCEL }

    record Step(int task, Call call, String node) {
    }

    @Provide
    Arbitrary<List<Step>> lives() {
        Arbitrary<Call> call = Arbitraries.frequency(
                Tuple.of(5, Call.ASSIGN), Tuple.of(4, Call.RUNNING), Tuple.of(2, Call.SUCCESS),
                Tuple.of(3, Call.FAILURE), Tuple.of(2, Call.TIMEOUT), Tuple.of(1, Call.KILLED),
                Tuple.of(2, Call.LOST), Tuple.of(2, Call.REQUEUE), Tuple.of(1, Call.CANCEL));
        return Combinators.combine(Arbitraries.integers().between(0, TASKS - 1), call,
                        Arbitraries.of("n1", "n2", "n3"))
                .as(Step::new).list().ofMaxSize(60);
    }

    private static boolean legal(Call call, TaskState state) {
        return switch (call) {
            case ASSIGN -> state == TaskState.QUEUED;
            case RUNNING -> state == TaskState.ASSIGNED;
            case SUCCESS, FAILURE, TIMEOUT, KILLED, LOST, REQUEUE -> state.isOnNode();
            case CANCEL -> !state.isTerminal();
        };
    }

    private static TaskRecord apply(Step step, TaskRecord t) {
        return switch (step.call()) {
            case ASSIGN -> t.assign(step.node(), 2_000, EPOCH);
            case RUNNING -> t.running(2_100, EPOCH);
            case SUCCESS -> t.attemptEnded(success(t), EPOCH);
            case FAILURE -> t.attemptEnded(failure(t), EPOCH);
            case TIMEOUT -> t.attemptEnded(timeout(t), EPOCH);
            case KILLED -> t.attemptEnded(report(t, TaskState.CANCELLED, null, "", ""), EPOCH);
            case LOST -> t.attemptLost("node left", true, 2_200, EPOCH);
            case REQUEUE -> t.attemptLost("dispatch failed", false, 2_200, EPOCH);
            case CANCEL -> t.cancelled(2_300, EPOCH);
        };
    }

    @Property(tries = 2000)
    @StatisticsReport(StatisticsReportMode.OFF) // the coverage check below is what matters
    void everyCallFollowsTheTableAndTheCountsFollowTheTasks(@ForAll @IntRange(min = 1, max = 4) int maxAttempts,
                                                            @ForAll("lives") List<Step> life) {
        TaskRecord[] tasks = new TaskRecord[TASKS];
        int[] attempts = new int[TASKS];
        int[] dispatches = new int[TASKS];
        for (int i = 0; i < TASKS; i++) {
            tasks[i] = aTask(JOB, i).withMaxAttempts(maxAttempts).build();
        }
        StateCounts counts = StateCounts.allQueued(TASKS);
        boolean jobEnded = false;

        for (Step step : life) {
            TaskRecord before = tasks[step.task()];
            TaskRecord after;
            try {
                after = apply(step, before);
            } catch (IllegalTransitionException e) {
                assertThat(legal(step.call(), before.state())).as("%s refused from %s", step, before.state())
                        .isFalse();
                continue;
            }
            assertThat(legal(step.call(), before.state())).as("%s allowed from %s", step, before.state()).isTrue();
            assertThat(before.state().canTransitionTo(after.state())).as("%s: %s -> %s", step, before.state(),
                    after.state()).isTrue();

            // The attempt counter: +1 per placement, -1 for a loss that does not count.
            attempts[step.task()] += step.call() == Call.ASSIGN ? 1 : step.call() == Call.REQUEUE ? -1 : 0;
            dispatches[step.task()] += step.call() == Call.ASSIGN ? 1 : 0;
            assertThat(after.attempt()).isEqualTo(attempts[step.task()]).isBetween(0, maxAttempts);
            if (after.state().isOnNode()) {
                assertThat(after.attemptId()).isEqualTo(after.taskId() + "@" + dispatches[step.task()]);
            }
            if (step.call() == Call.FAILURE || step.call() == Call.TIMEOUT) {
                assertThat(after.state() == TaskState.QUEUED).isEqualTo(before.attempt() < maxAttempts);
            }
            if (after.state() == TaskState.FAILED || after.state() == TaskState.TIMED_OUT
                    || after.state() == TaskState.LOST) {
                assertThat(after.attempt()).isEqualTo(maxAttempts);
            }
            assertThat(after.triedNodes()).doesNotHaveDuplicates();
            assertThat(after.taskId()).isEqualTo(before.taskId());

            tasks[step.task()] = after;
            counts = counts.moved(before.state(), after.state());
            StateCounts recount = StateCounts.none();
            for (TaskRecord t : tasks) {
                recount = recount.plus(t.state(), 1);
            }
            assertThat(counts).isEqualTo(recount);

            JobState job = counts.toProgress().jobState(false);
            assertThat(jobEnded && !job.isTerminal()).as("a finished job came back to life").isFalse();
            jobEnded = job.isTerminal();
        }
        for (TaskRecord t : tasks) {
            Statistics.collect(t.state());
        }
        Statistics.coverage(c -> {
            for (TaskState s : TaskState.values()) {
                c.check(s).count(n -> n > 0);
            }
        });
    }
}
