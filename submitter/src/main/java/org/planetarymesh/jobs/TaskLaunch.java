package org.planetarymesh.jobs;

import java.util.List;
import java.util.Map;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;

/**
 * Everything an agent needs to run one attempt of a task, carried in a dispatch batch.
 *
 * @param env   extra environment as {@code KEY=value}
 * @param files     inline files by relative path to their text
 * @param resources what the attempt may use; the agent's sandbox enforces it
 * @param network   whether the attempt may use the network
 */
public record TaskLaunch(String taskId, String jobId, String attemptId, int attempt, List<String> argv,
                         List<String> env, Map<String, String> files, long timeoutMillis, Resources resources,
                         NetworkAccess network) {
}
