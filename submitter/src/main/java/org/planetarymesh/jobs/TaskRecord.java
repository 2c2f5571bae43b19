package org.planetarymesh.jobs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.submitter.TaskState;

/**
 * A task as stored in {@code mesh.tasks}: its definition and the state of its latest attempt.
 * Every state change is a method here that checks {@link TaskState#canTransitionTo}; callers never
 * build a changed record by hand. The scheduler applies them inside entry processors, fenced by epoch.
 *
 * @param env         extra environment as {@code KEY=value}
 * @param attempt     attempts that count against {@code maxAttempts} (a node lost is not the task's fault)
 * @param dispatches  every placement so far, counted or not; numbers the attempt ids
 * @param attemptId   {@code taskId@dispatches}: unique per placement; reports for any other are stale
 * @param triedNodes  nodes of earlier attempts, so a retry can prefer another node
 * @param exitCode    of the latest finished attempt, null if none
 * @param reason      why the task is in its state (why pending, why failed)
 * @param writerEpoch the leader epoch of the last scheduler write; a lower epoch is refused
 * @param evictions   attempts its nodes gave back (their owners needed the machine): counted neither as an
 *                    attempt nor as a node loss
 * @param cpuMillis   CPU time of the latest finished attempt, null when its node could not measure it
 * @param peakMemoryBytes the most memory the latest finished attempt held at once, null when unknown
 */
public record TaskRecord(String taskId, String jobId, int index, int priority, long submittedAt,
                         List<String> paramNames, List<String> paramValues, List<String> argv, List<String> env,
                         long timeoutMillis, int maxAttempts, List<String> requiredLabels,
                         TaskState state, int attempt, int dispatches, String attemptId, String node, List<String> triedNodes,
                         long assignedAt, long startedAt, long finishedAt, Integer exitCode, String stdout,
                         String stderr, boolean outputTruncated, String reason, long writerEpoch, int evictions,
                         Long cpuMillis, Long peakMemoryBytes) {

    /** Raised when a change would break the transition table; the record is left as it was. */
    public static final class IllegalTransitionException extends IllegalStateException {
        public IllegalTransitionException(String taskId, TaskState from, TaskState to) {
            super("task " + taskId + ": illegal transition " + from + " -> " + to);
        }
    }

    /** The outcomes an agent may report for an attempt that ended. */
    private static final Set<TaskState> ENDINGS =
            EnumSet.of(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.TIMED_OUT, TaskState.CANCELLED);

    public static String taskId(String jobId, int index) {
        return jobId + "/" + index;
    }

    public static String attemptId(String taskId, int attempt) {
        return taskId + "@" + attempt;
    }

    /** A new task of an accepted job, waiting for its first placement. */
    public static TaskRecord queued(String jobId, TaskDefinition def, int priority, long timeoutMillis,
                                    int maxAttempts, List<String> requiredLabels, long now, long epoch) {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : def.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return new TaskRecord(taskId(jobId, def.index()), jobId, def.index(), priority, now,
                List.copyOf(def.paramNames()), List.copyOf(def.paramValues()), List.copyOf(def.argv()),
                List.copyOf(env), timeoutMillis, maxAttempts, List.copyOf(requiredLabels),
                TaskState.QUEUED, 0, 0, "", "", List.of(), 0, 0, 0, null, "", "", false,
                "waiting for the scheduler", epoch, 0, null, null);
    }

    /** Placed on {@code nodeName}: a new attempt begins. */
    public TaskRecord assign(String nodeName, long now, long epoch) {
        check(TaskState.ASSIGNED);
        int next = attempt + 1;
        int dispatch = dispatches + 1;
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, TaskState.ASSIGNED, next, dispatch,
                attemptId(taskId, dispatch),
                nodeName, triedNodes, now, 0, 0, null, "", "", false, "dispatched to " + nodeName, epoch, evictions, null,
                null);
    }

    /** The node started the current attempt's process. */
    public TaskRecord running(long startedAtMillis, long epoch) {
        check(TaskState.RUNNING);
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, TaskState.RUNNING, attempt, dispatches, attemptId, node,
                triedNodes, assignedAt, startedAtMillis, 0, null, "", "", false, "running on " + node, epoch, evictions,
                null, null);
    }

    /**
     * The current attempt ended with {@code outcome}. A failed or timed-out attempt with attempts left
     * sends the task back to the queue; otherwise the outcome is final.
     *
     * @throws IllegalArgumentException   when the report's outcome is not SUCCEEDED, FAILED, TIMED_OUT or
     *                                    CANCELLED (a RUNNING report goes to {@link #running})
     * @throws IllegalTransitionException when the task has no attempt on a node
     */
    public TaskRecord attemptEnded(TaskReport report, long epoch) {
        TaskState outcome = report.outcome();
        if (!ENDINGS.contains(outcome)) {
            // Without this, a RUNNING report would pass as ASSIGNED -> RUNNING, a QUEUED one as a requeue.
            throw new IllegalArgumentException("task " + taskId + ": a report of " + outcome
                    + " does not end an attempt");
        }
        boolean retry = (outcome == TaskState.FAILED || outcome == TaskState.TIMED_OUT) && attempt < maxAttempts;
        TaskState next = retry ? TaskState.QUEUED : outcome;
        if (!state.isOnNode()) {
            // QUEUED -> CANCELLED is in the table, but a late report of an old attempt must not cancel a retry.
            throw new IllegalTransitionException(taskId, state, next);
        }
        check(next);
        String why = retry
                ? "attempt " + attempt + " on " + node + " " + describe(report) + "; retrying"
                : outcome == TaskState.SUCCEEDED ? "" : describe(report);
        long started = report.startedAt() != 0 ? report.startedAt() : startedAt;
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, next, attempt, dispatches, attemptId, node,
                withTried(node), assignedAt, started, report.finishedAt(), report.exitCode(),
                report.stdout(), report.stderr(), report.outputTruncated(), why, epoch, evictions,
                measured(report.cpuMillis()), measured(report.peakMemoryBytes()));
    }

    /**
     * The current attempt will never report (its node left, or dispatch failed): requeue it without
     * counting it against the task, unless {@code countsAsAttempt} and none is left, then it is LOST.
     */
    public TaskRecord attemptLost(String why, boolean countsAsAttempt, long now, long epoch) {
        boolean exhausted = countsAsAttempt && attempt >= maxAttempts;
        TaskState next = exhausted ? TaskState.LOST : TaskState.QUEUED;
        check(next);
        // A requeue that does not count gives the attempt number back, so max attempts stays a promise.
        int kept = countsAsAttempt ? attempt : attempt - 1;
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, next, kept, dispatches, attemptId, node, withTried(node),
                assignedAt, startedAt, exhausted ? now : 0, exitCode, stdout, stderr, outputTruncated, why, epoch, evictions, cpuMillis,
                peakMemoryBytes);
    }

    /** How many placements ended without counting against the task because its node was lost (not evictions). */
    public int losses() {
        return dispatches - attempt - evictions;
    }

    /**
     * The node gave the current attempt back (its owner needs the machine or paused it): the task goes back to
     * the queue charging neither an attempt nor a node loss, and the node joins {@code triedNodes} so the retry
     * prefers another node.
     *
     * @throws IllegalTransitionException when the task has no attempt on a node
     */
    public TaskRecord evicted(TaskReport report, long epoch) {
        if (!state.isOnNode()) {
            throw new IllegalTransitionException(taskId, state, TaskState.QUEUED);
        }
        check(TaskState.QUEUED);
        String why = "attempt " + attempt + " evicted from " + node + ": " + describe(report) + "; requeued";
        long started = report.startedAt() != 0 ? report.startedAt() : startedAt;
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, TaskState.QUEUED, attempt - 1, dispatches, attemptId, node,
                withTried(node), assignedAt, started, report.finishedAt(), report.exitCode(), report.stdout(),
                report.stderr(), report.outputTruncated(), why, epoch, evictions + 1, measured(report.cpuMillis()),
                measured(report.peakMemoryBytes()));
    }

    /**
     * The current attempt's node was lost once too often (this loss is not charged either): the task ends LOST rather than being requeued for
     * ever (a task that makes every node it runs on crash must not take the mesh down one node at a time).
     */
    public TaskRecord lostForGood(String why, long now, long epoch) {
        check(TaskState.LOST);
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, TaskState.LOST, attempt - 1, dispatches, attemptId, node,
                withTried(node), assignedAt, startedAt, now, exitCode, stdout, stderr, outputTruncated, why, epoch, evictions, cpuMillis,
                peakMemoryBytes);
    }

    /** The job was cancelled. */
    public TaskRecord cancelled(long now, long epoch) {
        return cancelled("cancelled", now, epoch);
    }

    /** The task will not run (its job was cancelled, or stopped for too many failed tasks), for {@code why}. */
    public TaskRecord cancelled(String why, long now, long epoch) {
        check(TaskState.CANCELLED);
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, TaskState.CANCELLED, attempt, dispatches, attemptId, node,
                triedNodes, assignedAt, startedAt, now, exitCode, stdout, stderr, outputTruncated,
                why, epoch, evictions, cpuMillis, peakMemoryBytes);
    }

    /**
     * The same task claimed by a new leader: from this write on, writes of older epochs are refused.
     * A new leader stamps every unfinished task it adopts, so the fence covers all of them at once.
     */
    public TaskRecord stampedBy(long epoch) {
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, state, attempt, dispatches, attemptId, node, triedNodes,
                assignedAt, startedAt, finishedAt, exitCode, stdout, stderr, outputTruncated, reason, epoch, evictions,
                cpuMillis, peakMemoryBytes);
    }

    /** Records why the scheduler did not place a queued task this round (no state change). */
    public TaskRecord withPendingReason(String why, long epoch) {
        return new TaskRecord(taskId, jobId, index, priority, submittedAt, paramNames, paramValues, argv, env,
                timeoutMillis, maxAttempts, requiredLabels, state, attempt, dispatches, attemptId, node, triedNodes,
                assignedAt, startedAt, finishedAt, exitCode, stdout, stderr, outputTruncated, why, epoch, evictions, cpuMillis,
                peakMemoryBytes);
    }

    private List<String> withTried(String nodeName) {
        if (nodeName == null || nodeName.isEmpty() || triedNodes.contains(nodeName)) {
            return triedNodes;
        }
        List<String> tried = new ArrayList<>(triedNodes);
        tried.add(nodeName);
        return List.copyOf(tried);
    }

    /** A report's measurement, null when the node could not take it (reported as a negative number). */
    private static Long measured(long value) {
        return value >= 0 ? value : null;
    }

    private static String describe(TaskReport report) {
        return report.reason() == null || report.reason().isEmpty()
                ? report.outcome().name().toLowerCase(java.util.Locale.ROOT) : report.reason();
    }

    private void check(TaskState next) {
        if (!state.canTransitionTo(next)) {
            throw new IllegalTransitionException(taskId, state, next);
        }
    }
}
