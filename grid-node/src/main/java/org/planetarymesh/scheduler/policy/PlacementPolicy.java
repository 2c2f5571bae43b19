package org.planetarymesh.scheduler.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides where queued tasks run. Pure: the same queue and view always give the same decisions, and
 * nothing outside the arguments is read or changed.
 *
 * <h2>Order</h2>
 * A round places tasks one by one in {@link #PLACEMENT_ORDER}: priority descending, then
 * {@code submittedAt} ascending, then job id, then index, then task id ascending. Each placement takes a
 * slot in the round's own copy of the running counts, so a round never oversubscribes a node.
 *
 * <h2>Choice of node</h2>
 * A node is a <em>candidate</em> for a task when it is accepting, has a free slot and carries every
 * required label. Candidates not in the task's {@code avoidNodes} win over those in it; avoided nodes are
 * used only when no other candidate is left. Among the rest the lowest score wins:
 * <pre>
 *   score = (running + 1) / slots                                   load after placing the task, 0..1
 *         + LATENCY_WEIGHT * min(latencyMicros, LATENCY_CAP_MICROS) / LATENCY_CAP_MICROS
 * </pre>
 * With {@link #LATENCY_WEIGHT} = 0.1 and {@link #LATENCY_CAP_MICROS} = 10 ms, a node 10 ms or more away
 * counts as 10 percentage points more loaded than a node next door: latency separates nodes of equal load
 * and outweighs a load difference of less than 10 points, never a whole slot of a node with at most
 * 10 slots. Equal scores go to the lower latency, then to the node name in ascending order.
 *
 * <h2>Why a task waits</h2>
 * An unplaced task gets the most specific reason, checked in this order: no node is online; no node has
 * the required labels; none of the nodes with them is accepting; all matching accepting nodes are full.
 *
 * <h2>Cost</h2>
 * At most O(tasks × nodes) per round, after sorting. Capacity only shrinks during a round, so once a set of
 * required labels finds no candidate its reason is kept and every later task with the same labels is
 * answered from it; once every accepting node is full no node is scanned any more.
 */
public final class PlacementPolicy {

    /** The weight of latency in the score: a node at or beyond the cap costs this much load. */
    static final double LATENCY_WEIGHT = 0.1;

    /** Latencies at or above this (10 ms) weigh the same in the score; they still break ties. */
    static final long LATENCY_CAP_MICROS = 10_000;

    /** The order in which a round places tasks; total for distinct task ids. */
    static final Comparator<TaskRequest> PLACEMENT_ORDER = Comparator
            .comparingInt(TaskRequest::priority).reversed()
            .thenComparingLong(TaskRequest::submittedAt)
            .thenComparing(PlacementPolicy::compareJobIds)
            .thenComparingInt(TaskRequest::index)
            .thenComparing(TaskRequest::taskId);

    /**
     * Places one round.
     *
     * @param queued tasks waiting to be placed, in any order, with distinct task ids
     * @param view   the nodes as they are now
     * @return one decision per task, in {@link #PLACEMENT_ORDER}
     * @throws IllegalArgumentException when two requests share a task id
     */
    public List<Decision> placeRound(List<TaskRequest> queued, ClusterView view) {
        Objects.requireNonNull(view, "view");
        List<TaskRequest> order = new ArrayList<>(queued);
        Set<String> ids = new HashSet<>();
        for (TaskRequest task : order) {
            if (!ids.add(task.taskId())) {
                throw new IllegalArgumentException("task " + task.taskId() + " is queued twice in one round");
            }
        }
        order.sort(PLACEMENT_ORDER);
        Round round = new Round(view);
        List<Decision> decisions = new ArrayList<>(order.size());
        for (TaskRequest task : order) {
            decisions.add(round.place(task));
        }
        return List.copyOf(decisions);
    }

    /** Places a single task, as a round of one. */
    Decision placeOne(TaskRequest task, ClusterView view) {
        return placeRound(List.of(task), view).get(0);
    }

    /** The latency part of a node's score, 0 to {@link #LATENCY_WEIGHT}. */
    private static double latencyTerm(long latencyMicros) {
        return LATENCY_WEIGHT * Math.min(latencyMicros, LATENCY_CAP_MICROS) / LATENCY_CAP_MICROS;
    }

    /** Compares the job parts of two task ids without copying them. */
    private static int compareJobIds(TaskRequest a, TaskRequest b) {
        String x = a.taskId();
        String y = b.taskId();
        int endX = jobIdEnd(x);
        int endY = jobIdEnd(y);
        int n = Math.min(endX, endY);
        for (int i = 0; i < n; i++) {
            char cx = x.charAt(i);
            char cy = y.charAt(i);
            if (cx != cy) {
                return Character.compare(cx, cy);
            }
        }
        return Integer.compare(endX, endY);
    }

    private static int jobIdEnd(String taskId) {
        int slash = taskId.lastIndexOf('/');
        return slash < 0 ? taskId.length() : slash;
    }

    /** The mutable state of one round: the policy itself keeps none. */
    private static final class Round {
        private final NodeView[] nodes;          // sorted by name, so a scan meets ties in name order
        private final int[] running;
        private final double[] latencyTerm;
        private int acceptingWithFreeSlot;
        private final Map<Set<String>, int[]> candidatesByLabels = new HashMap<>();
        private final Map<Set<String>, String> waitingReasonByLabels = new HashMap<>();

        Round(ClusterView view) {
            nodes = view.nodes().toArray(NodeView[]::new);
            Arrays.sort(nodes, Comparator.comparing(NodeView::name));
            running = new int[nodes.length];
            latencyTerm = new double[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                running[i] = nodes[i].running();
                latencyTerm[i] = latencyTerm(nodes[i].latencyMicros());
                if (nodes[i].accepting() && nodes[i].free() > 0) {
                    acceptingWithFreeSlot++;
                }
            }
        }

        Decision place(TaskRequest task) {
            Set<String> labels = task.requiredLabels();
            String known = waitingReasonByLabels.get(labels);
            if (known != null) {
                return new Decision.Unplaced(task.taskId(), known);
            }
            int best = acceptingWithFreeSlot == 0 ? -1 : bestCandidate(task);
            if (best < 0) {
                // Capacity never grows within a round: the same labels will find nothing later either.
                String reason = whyNoCandidate(labels);
                waitingReasonByLabels.put(labels, reason);
                return new Decision.Unplaced(task.taskId(), reason);
            }
            running[best]++;
            if (running[best] == nodes[best].slots()) {
                acceptingWithFreeSlot--;
            }
            return new Decision.Placed(task.taskId(), nodes[best].name());
        }

        private int bestCandidate(TaskRequest task) {
            Set<String> avoid = task.avoidNodes();
            int best = -1;
            boolean bestAvoided = true;
            double bestScore = Double.MAX_VALUE;
            for (int i : candidatesByLabels.computeIfAbsent(task.requiredLabels(), this::acceptingWith)) {
                int slots = nodes[i].slots();
                if (running[i] >= slots) {
                    continue;
                }
                boolean avoided = !avoid.isEmpty() && avoid.contains(nodes[i].name());
                if (best >= 0 && avoided && !bestAvoided) {
                    continue;
                }
                double score = (running[i] + 1) / (double) slots + latencyTerm[i];
                boolean better = best < 0
                        || (bestAvoided && !avoided)
                        || score < bestScore
                        || (score == bestScore && nodes[i].latencyMicros() < nodes[best].latencyMicros());
                if (better) {
                    best = i;
                    bestAvoided = avoided;
                    bestScore = score;
                }
            }
            return best;
        }

        /** Indexes, in name order, of the accepting nodes that carry every label in {@code labels}. */
        private int[] acceptingWith(Set<String> labels) {
            int[] found = new int[nodes.length];
            int n = 0;
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].accepting() && nodes[i].labels().containsAll(labels)) {
                    found[n++] = i;
                }
            }
            return Arrays.copyOf(found, n);
        }

        private String whyNoCandidate(Set<String> labels) {
            if (nodes.length == 0) {
                return "no node is online";
            }
            String labelText = new TreeSet<>(labels).toString();
            int withLabels = 0;
            int accepting = 0;
            long slots = 0;
            long busy = 0;
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].labels().containsAll(labels)) {
                    withLabels++;
                    if (nodes[i].accepting()) {
                        accepting++;
                        slots += nodes[i].slots();
                        busy += Math.min(running[i], nodes[i].slots());
                    }
                }
            }
            if (withLabels == 0) {
                return "no node has labels " + labelText;
            }
            String kind = labels.isEmpty() ? "online" : "with labels " + labelText;
            if (accepting == 0) {
                return withLabels == 1
                        ? "the only node " + kind + " is not accepting tasks"
                        : "none of the " + withLabels + " nodes " + kind + " is accepting tasks";
            }
            String matching = labels.isEmpty() ? "accepting" : "matching";
            String slotText = " (" + busy + "/" + slots + " slots busy)";
            return accepting == 1
                    ? "the only " + matching + " node is full" + slotText
                    : "all " + accepting + " " + matching + " nodes are full" + slotText;
        }
    }
}
