package org.planetarymesh.scheduler;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.Amounts;
import org.planetarymesh.scheduler.policy.NodeView;
import org.planetarymesh.scheduler.policy.TaskRequest;
import org.planetarymesh.submitter.Protection;

/**
 * Turns the stored records into what the {@link org.planetarymesh.scheduler.policy.PlacementPolicy} reads: a node
 * with its protections, caps, use and availability; a queued task with its job's demand and required protections.
 */
final class SchedulerViews {

    private SchedulerViews() {
    }

    /**
     * The node as placement sees it.
     *
     * @param onNode    the tasks the leader has on it (ASSIGNED or RUNNING); their jobs' demands are its use
     * @param accepting false while dispatch to it backs off
     */
    static NodeView nodeView(NodeRecord node, Collection<TaskRecord> onNode, boolean accepting,
                             Function<String, JobExpansion.Terms> termsOfJob) {
        Amounts used = Amounts.NONE;
        for (TaskRecord task : onNode) {
            used = used.plus(Amounts.of(termsOfJob.apply(task.jobId()).resources()));
        }
        return new NodeView(node.name(), node.slots(), onNode.size(), Set.copyOf(node.labels()), node.latencyMicros(),
                accepting, protections(node), capacity(node), used, node.unavailableReason());
    }

    static TaskRequest taskRequest(TaskRecord task, JobExpansion.Terms terms) {
        return new TaskRequest(task.taskId(), task.priority(), task.submittedAt(), task.index(),
                Set.copyOf(task.requiredLabels()), Set.copyOf(task.triedNodes()), Amounts.of(terms.resources()),
                terms.requiredProtections());
    }

    /** The protections a node advertises; names this version does not know (a newer agent's) are left out. */
    static Set<Protection> protections(NodeRecord node) {
        Set<Protection> known = EnumSet.noneOf(Protection.class);
        for (String name : node.protections()) {
            Protection.ofWireName(name).ifPresent(known::add);
        }
        return known;
    }

    /**
     * What the node's contributor lets the mesh use. A node with slots that states no cap at all registered before
     * nodes had caps (an agent of an older version): it is taken to offer the whole host, as it did then.
     */
    static Amounts capacity(NodeRecord node) {
        boolean statesNone = node.maxCpus() <= 0 && node.maxMemoryBytes() <= 0 && node.maxDiskBytes() <= 0;
        if (statesNone && node.slots() > 0) {
            return new Amounts(Math.max(1, node.cores()) * 1000L, node.memoryBytes(), Amounts.UNLIMITED.diskBytes());
        }
        return Amounts.of(Math.max(0, node.maxCpus()), Math.max(0, node.maxMemoryBytes()),
                Math.max(0, node.maxDiskBytes()));
    }
}
