package org.planetarymesh.jobs;

import java.util.List;
import java.util.Map;

/**
 * One point of a sweep with its placeholders filled in.
 *
 * @param index       position in the sweep, 0-based, first parameter outermost
 * @param paramNames  parameter names in sweep order
 * @param paramValues this task's value of each parameter, aligned with {@code paramNames}
 * @param argv        the command with placeholders replaced
 * @param env         the environment with placeholders replaced
 */
public record TaskDefinition(int index, List<String> paramNames, List<String> paramValues, List<String> argv,
                             Map<String, String> env) {
}
