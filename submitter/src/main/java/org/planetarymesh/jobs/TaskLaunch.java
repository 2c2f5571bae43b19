package org.planetarymesh.jobs;

import java.util.List;
import java.util.Map;

/**
 * Everything an agent needs to run one attempt of a task, carried in a dispatch batch.
 *
 * @param env   extra environment as {@code KEY=value}
 * @param files inline files by relative path to their text
 */
public record TaskLaunch(String taskId, String jobId, String attemptId, int attempt, List<String> argv,
                         List<String> env, Map<String, String> files, long timeoutMillis) {
}
