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
import org.planetarymesh.submitter.Protection;

/**
 * Decides where queued tasks run. Pure: the same queue and view always give the same decisions, and
 * nothing outside the arguments is read or changed.
 *
 * <h2>Order</h2>
 * A round places tasks one by one in {@link #PLACEMENT_ORDER}: priority descending, then
 * {@code submittedAt} ascending, then job id, then index, then task id ascending. Each placement takes a
 * slot and the task's demand (cpus, memory, disk) in the round's own copy of the running counts and used
 * amounts, so a round never oversubscribes a node in any of them.
 *
 * <h2>Choice of node</h2>
 * A node is a <em>candidate</em> for a task when it is accepting, available (its owner has not paused it), has a
 * free slot, carries every required label and every required protection, and the task's demand fits in what is
 * left of its cpus, memory and disk (capacity minus the demands of the tasks on it). Candidates not in the task's {@code avoidNodes} win over those in it; avoided nodes are
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
 * the required labels; none of those offers the required protections ("no node offers [no-network]"); none of
 * those could ever hold the demand ("no node offers 4 GiB memory (largest: 2 GiB)"); none of those is accepting;
 * none of those is available ("the only node online is unavailable (paused by its owner)"); all of those are
 * full;
 * none of those with a free slot has the demand free ("no node with labels [gpu] has 2 GiB memory free (largest
 * free: 1 GiB)").
 *
 * <h2>Cost</h2>
 * At most O(tasks × nodes) per round, after sorting. Capacity only shrinks during a round, so once a set of
 * required labels, protections and demand finds no candidate no node is scanned for it again, and its reason is
 * kept for every later task asking the same until the next placement changes what is left; once every
 * accepting, available node is full no node is scanned any more.
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

    /** What a task asks of a node; tasks asking the same share candidates and, once none fits, the reason. */
    private record Needs(Set<String> labels, Set<Protection> protections, Amounts demand) {
        static Needs of(TaskRequest task) {
            return new Needs(task.requiredLabels(), task.requiredProtections(), task.demand());
        }
    }

    /** The mutable state of one round: the policy itself keeps none. */
    private static final class Round {
        private final NodeView[] nodes;          // sorted by name, so a scan meets ties in name order
        private final int[] running;
        private final Amounts[] used;
        private final double[] latencyTerm;
        private int openWithFreeSlot;
        private final Map<Needs, int[]> candidatesByNeeds = new HashMap<>();
        /** Needs that found no candidate: capacity only shrinks in a round, so they never will. */
        private final Set<Needs> hopeless = new HashSet<>();
        /** Why each hopeless need waits, until the next placement (which may change the why, e.g. to "full"). */
        private final Map<Needs, String> waitingReasonByNeeds = new HashMap<>();

        Round(ClusterView view) {
            nodes = view.nodes().toArray(NodeView[]::new);
            Arrays.sort(nodes, Comparator.comparing(NodeView::name));
            running = new int[nodes.length];
            used = new Amounts[nodes.length];
            latencyTerm = new double[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                running[i] = nodes[i].running();
                used[i] = nodes[i].used();
                latencyTerm[i] = latencyTerm(nodes[i].latencyMicros());
                if (open(nodes[i]) && nodes[i].free() > 0) {
                    openWithFreeSlot++;
                }
            }
        }

        /** Takes new work at all: accepting and available. */
        private static boolean open(NodeView node) {
            return node.accepting() && node.available();
        }

        Decision place(TaskRequest task) {
            Needs needs = Needs.of(task);
            int best = openWithFreeSlot == 0 || hopeless.contains(needs) ? -1 : bestCandidate(task, needs);
            if (best < 0) {
                hopeless.add(needs);
                return new Decision.Unplaced(task.taskId(),
                        waitingReasonByNeeds.computeIfAbsent(needs, this::whyNoCandidate));
            }
            waitingReasonByNeeds.clear();
            running[best]++;
            used[best] = used[best].plus(task.demand());
            if (running[best] == nodes[best].slots()) {
                openWithFreeSlot--;
            }
            return new Decision.Placed(task.taskId(), nodes[best].name());
        }

        private int bestCandidate(TaskRequest task, Needs needs) {
            Set<String> avoid = task.avoidNodes();
            int best = -1;
            boolean bestAvoided = true;
            double bestScore = Double.MAX_VALUE;
            for (int i : candidatesByNeeds.computeIfAbsent(needs, this::openWith)) {
                int slots = nodes[i].slots();
                if (running[i] >= slots || !task.demand().fitsIn(nodes[i].capacity().minus(used[i]))) {
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

        /** Indexes, in name order, of the open nodes with every label and protection the task needs. */
        private int[] openWith(Needs needs) {
            int[] found = new int[nodes.length];
            int n = 0;
            for (int i = 0; i < nodes.length; i++) {
                if (open(nodes[i]) && offers(nodes[i], needs)) {
                    found[n++] = i;
                }
            }
            return Arrays.copyOf(found, n);
        }

        private static boolean offers(NodeView node, Needs needs) {
            return node.labels().containsAll(needs.labels()) && node.protections().containsAll(needs.protections());
        }

        private String whyNoCandidate(Needs needs) {
            if (nodes.length == 0) {
                return "no node is online";
            }
            Set<String> labels = needs.labels();
            String labelText = new TreeSet<>(labels).toString();
            String withLabels = labels.isEmpty() ? "" : " with labels " + labelText;
            List<Integer> labelled = matching(i -> nodes[i].labels().containsAll(labels), allNodes());
            if (labelled.isEmpty()) {
                return "no node has labels " + labelText;
            }
            List<Integer> protectedNodes = matching(i -> nodes[i].protections().containsAll(needs.protections()),
                    labelled);
            if (protectedNodes.isEmpty()) {
                return "no node" + withLabels + " offers " + protectionText(needs.protections());
            }
            Amounts demand = needs.demand();
            List<Integer> bigEnough = matching(i -> demand.fitsIn(nodes[i].capacity()), protectedNodes);
            if (bigEnough.isEmpty()) {
                return "no node" + withLabels + " offers " + shortfall(demand, protectedNodes, false);
            }
            // Named by labels as long as protections and size ruled no labelled node out; else by what it lacks.
            boolean byLabels = bigEnough.size() == labelled.size();
            String kind = !byLabels ? "that could take it" : labels.isEmpty() ? "online" : "with labels " + labelText;
            List<Integer> accepting = matching(i -> nodes[i].accepting(), bigEnough);
            if (accepting.isEmpty()) {
                return bigEnough.size() == 1
                        ? "the only node " + kind + " is not accepting tasks"
                        : "none of the " + bigEnough.size() + " nodes " + kind + " is accepting tasks";
            }
            List<Integer> available = matching(i -> nodes[i].available(), accepting);
            if (available.isEmpty()) {
                Set<String> reasons = new TreeSet<>();
                accepting.forEach(i -> reasons.add(nodes[i].unavailableReason()));
                String why = " (" + String.join("; ", reasons) + ")";
                return accepting.size() == 1
                        ? "the only node " + kind + " is unavailable" + why
                        : "all " + accepting.size() + " nodes " + kind + " are unavailable" + why;
            }
            List<Integer> withSlot = matching(i -> running[i] < nodes[i].slots(), available);
            if (withSlot.isEmpty()) {
                long slots = 0;
                long busy = 0;
                for (int i : available) {
                    slots += nodes[i].slots();
                    busy += Math.min(running[i], nodes[i].slots());
                }
                String open = byLabels && labels.isEmpty() ? "accepting" : "matching";
                String slotText = " (" + busy + "/" + slots + " slots busy)";
                return available.size() == 1
                        ? "the only " + open + " node is full" + slotText
                        : "all " + available.size() + " " + open + " nodes are full" + slotText;
            }
            return "no node" + withLabels + " has " + shortfall(demand, withSlot, true);
        }

        /**
         * What of {@code demand} none of {@code candidates} has: the first dimension that no node has enough of,
         * with the largest amount there is; or all three when each fits somewhere but never together.
         */
        private String shortfall(Amounts demand, List<Integer> candidates, boolean free) {
            long cpus = Long.MIN_VALUE;
            long memory = Long.MIN_VALUE;
            long disk = Long.MIN_VALUE;
            for (int i : candidates) {
                Amounts left = free ? nodes[i].capacity().minus(used[i]) : nodes[i].capacity();
                cpus = Math.max(cpus, left.millicpus());
                memory = Math.max(memory, left.memoryBytes());
                disk = Math.max(disk, left.diskBytes());
            }
            String suffix = free ? " free" : "";
            String largest = free ? " (largest free: " : " (largest: ";
            if (demand.millicpus() > cpus) {
                return Amounts.cpus(demand.millicpus()) + suffix + largest + Amounts.cpus(Math.max(0, cpus)) + ")";
            }
            if (demand.memoryBytes() > memory) {
                return Amounts.bytes(demand.memoryBytes()) + " memory" + suffix + largest + Amounts.bytes(memory)
                        + ")";
            }
            if (demand.diskBytes() > disk) {
                return Amounts.bytes(demand.diskBytes()) + " disk" + suffix + largest + Amounts.bytes(disk) + ")";
            }
            return Amounts.cpus(demand.millicpus()) + ", " + Amounts.bytes(demand.memoryBytes()) + " memory and "
                    + Amounts.bytes(demand.diskBytes()) + " disk" + suffix + " at once";
        }

        private List<Integer> allNodes() {
            List<Integer> all = new ArrayList<>(nodes.length);
            for (int i = 0; i < nodes.length; i++) {
                all.add(i);
            }
            return all;
        }

        private static List<Integer> matching(java.util.function.IntPredicate test, List<Integer> among) {
            List<Integer> found = new ArrayList<>();
            for (int i : among) {
                if (test.test(i)) {
                    found.add(i);
                }
            }
            return found;
        }

        private static String protectionText(Set<Protection> protections) {
            return protections.stream().map(Protection::wireName).sorted().toList().toString();
        }
    }
}
