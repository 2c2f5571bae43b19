package org.planetarymesh.scheduler.policy;

import java.util.Objects;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * A queued task as the scheduler sees it.
 *
 * @param taskId              {@code jobId/index}
 * @param priority            higher is placed first
 * @param submittedAt         epoch millis when its job was accepted; earlier is placed first among equal priorities
 * @param index               the task's position in its job
 * @param requiredLabels      labels a node must carry, all of them, to take the task
 * @param avoidNodes          nodes of earlier failed or evicted attempts: a preference, used only when nothing
 *                            else fits
 * @param demand              the cpus, memory and disk the task may use; must fit in what a node has left
 * @param requiredProtections protections a node's sandbox must give the task, all of them
 */
public record TaskRequest(String taskId, int priority, long submittedAt, int index, Set<String> requiredLabels,
                          Set<String> avoidNodes, Amounts demand, Set<Protection> requiredProtections) {

    public TaskRequest {
        Objects.requireNonNull(taskId, "taskId");
        requiredLabels = Set.copyOf(requiredLabels);
        avoidNodes = Set.copyOf(avoidNodes);
        Objects.requireNonNull(demand, "demand");
        requiredProtections = Set.copyOf(requiredProtections);
    }

    /** A task that asks for no cpus, memory, disk nor protection: only a slot. */
    public TaskRequest(String taskId, int priority, long submittedAt, int index, Set<String> requiredLabels,
                       Set<String> avoidNodes) {
        this(taskId, priority, submittedAt, index, requiredLabels, avoidNodes, Amounts.NONE, Set.of());
    }

    /** The job part of {@code taskId}: everything before its last {@code /} (the whole id if none). */
    String jobId() {
        int slash = taskId.lastIndexOf('/');
        return slash < 0 ? taskId : taskId.substring(0, slash);
    }
}
