package org.planetarymesh.scheduler.policy;

import java.util.Objects;
import java.util.Set;

/**
 * A queued task as the scheduler sees it.
 *
 * @param taskId         {@code jobId/index}
 * @param priority       higher is placed first
 * @param submittedAt    epoch millis when its job was accepted; earlier is placed first among equal priorities
 * @param index          the task's position in its job
 * @param requiredLabels labels a node must carry, all of them, to take the task
 * @param avoidNodes     nodes of earlier failed attempts: a preference, used only when nothing else fits
 */
public record TaskRequest(String taskId, int priority, long submittedAt, int index, Set<String> requiredLabels,
                          Set<String> avoidNodes) {

    public TaskRequest {
        Objects.requireNonNull(taskId, "taskId");
        requiredLabels = Set.copyOf(requiredLabels);
        avoidNodes = Set.copyOf(avoidNodes);
    }

    /** The job part of {@code taskId}: everything before its last {@code /} (the whole id if none). */
    String jobId() {
        int slash = taskId.lastIndexOf('/');
        return slash < 0 ? taskId : taskId.substring(0, slash);
    }
}
