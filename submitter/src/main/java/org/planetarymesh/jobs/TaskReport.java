package org.planetarymesh.jobs;

import org.planetarymesh.submitter.TaskState;

/**
 * What an agent says about one attempt: it started ({@code RUNNING}) or it ended (a terminal outcome).
 *
 * @param outcome   RUNNING, SUCCEEDED, FAILED or TIMED_OUT (CANCELLED when killed on request)
 * @param exitCode  the process exit code, null when it never started or was killed
 * @param reason    a short human-readable cause for a non-success (e.g. "exit code 1", "memory limit exceeded (256 MiB)")
 * @param evicted   the node gave the attempt back (its owner needed the machine): requeue it, charge nothing
 * @param cpuMillis CPU time the attempt's processes used; -1 when the node cannot measure it
 * @param peakMemoryBytes the most memory the attempt's processes held at once; -1 when unknown
 */
public record TaskReport(String taskId, String attemptId, String node, TaskState outcome, Integer exitCode,
                         String stdout, String stderr, boolean outputTruncated, long startedAt, long finishedAt,
                         String reason, boolean evicted, long cpuMillis, long peakMemoryBytes) {

    public static TaskReport running(String taskId, String attemptId, String node, long startedAt) {
        return new TaskReport(taskId, attemptId, node, TaskState.RUNNING, null, "", "", false, startedAt, 0, "", false, -1, -1);
    }
}
