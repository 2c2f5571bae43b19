package org.planetarymesh.submitter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One task of a job and, once it ran, the outcome of its latest attempt.
 *
 * @param index           the task's position in the sweep (0-based)
 * @param params          the parameter values of this task, in sweep order
 * @param attempt         the number of the latest attempt (0 before the first placement)
 * @param node            the node of the latest attempt, if placed
 * @param exitCode        the exit code of the latest finished attempt
 * @param stdout          captured standard output (capped; see {@code outputTruncated})
 * @param stderr          captured standard error (capped)
 * @param outputTruncated true when stdout or stderr was cut at the node's cap
 * @param duration        how long the latest attempt's process ran
 * @param reason          why the task is in its state: why it waits, why it failed (e.g. "memory limit exceeded
 *                        (256 MiB)")
 * @param cpuTime         CPU time the latest finished attempt used, if its node measured it
 * @param peakMemoryBytes the most memory the latest finished attempt held at once, if its node measured it
 */
public record TaskView(String taskId, String jobId, int index, Map<String, String> params, TaskState state,
                       int attempt, Optional<String> node, Optional<Integer> exitCode, String stdout,
                       String stderr, boolean outputTruncated, Optional<Duration> duration, String reason,
                       Optional<Duration> cpuTime, OptionalLong peakMemoryBytes) {
}
