package org.planetarymesh.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.planetarymesh.submitter.TaskState;

/**
 * Builds task records the way the scheduler does, through their transition methods:
 * {@code aTask().withMaxAttempts(2).assignedTo("n1").running().build()}.
 */
final class TaskRecordFixtures {

    static final String JOB = "job-1";
    static final long SUBMITTED_AT = 1_000;
    static final long EPOCH = 7;

    private TaskRecordFixtures() {
    }

    static Builder aTask() {
        return new Builder();
    }

    /** An ending report for the current attempt of {@code task}. */
    static TaskReport report(TaskRecord task, TaskState outcome, Integer exitCode, String stderr, String reason) {
        return new TaskReport(task.taskId(), task.attemptId(), task.node(), outcome, exitCode, "out of " +
                task.attemptId(), stderr, false, 0, SUBMITTED_AT + 500, reason);
    }

    static TaskReport success(TaskRecord task) {
        return report(task, TaskState.SUCCEEDED, 0, "", "");
    }

    static TaskReport failure(TaskRecord task) {
        return report(task, TaskState.FAILED, 1, "boom at " + task.attemptId(), "exit code 1");
    }

    static TaskReport timeout(TaskRecord task) {
        return report(task, TaskState.TIMED_OUT, null, "slow at " + task.attemptId(), "timed out after 2s");
    }

    static final class Builder {
        private int index = 0;
        private int maxAttempts = 3;
        private int priority = 0;
        private List<String> labels = List.of();
        private final List<UnaryOperator<TaskRecord>> steps = new ArrayList<>();
        private long clock = SUBMITTED_AT;

        Builder withIndex(int i) {
            index = i;
            return this;
        }

        Builder withMaxAttempts(int n) {
            maxAttempts = n;
            return this;
        }

        Builder withPriority(int p) {
            priority = p;
            return this;
        }

        Builder needing(String... l) {
            labels = List.of(l);
            return this;
        }

        Builder assignedTo(String node) {
            long now = tick();
            steps.add(t -> t.assign(node, now, EPOCH));
            return this;
        }

        Builder running() {
            long now = tick();
            steps.add(t -> t.running(now, EPOCH));
            return this;
        }

        Builder succeeded() {
            steps.add(t -> t.attemptEnded(success(t), EPOCH));
            return this;
        }

        Builder failed() {
            steps.add(t -> t.attemptEnded(failure(t), EPOCH));
            return this;
        }

        Builder timedOut() {
            steps.add(t -> t.attemptEnded(timeout(t), EPOCH));
            return this;
        }

        /** One whole attempt on {@code node} that ran and failed. */
        Builder failedOn(String node) {
            return assignedTo(node).running().failed();
        }

        Builder lost(boolean countsAsAttempt) {
            long now = tick();
            steps.add(t -> t.attemptLost("node left", countsAsAttempt, now, EPOCH));
            return this;
        }

        Builder cancelled() {
            long now = tick();
            steps.add(t -> t.cancelled(now, EPOCH));
            return this;
        }

        TaskRecord build() {
            TaskDefinition def = new TaskDefinition(index, List.of("n"), List.of(String.valueOf(index)),
                    List.of("echo", String.valueOf(index)), Map.of("K", "v"));
            TaskRecord task = TaskRecord.queued(JOB, def, priority, 60_000, maxAttempts, labels, SUBMITTED_AT, 1);
            for (UnaryOperator<TaskRecord> step : steps) {
                task = step.apply(task);
            }
            return task;
        }

        private long tick() {
            clock += 10;
            return clock;
        }
    }
}
