package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.planetarymesh.scheduler.policy.Decision.Placed;
import org.planetarymesh.scheduler.policy.Decision.Unplaced;
import org.planetarymesh.submitter.Protection;

/**
 * Properties of {@link PlacementPolicy} over generated clusters and queues. Most of them replay a round's
 * decisions in order against the view, tracking the running counts, and check each decision against the
 * state of the cluster at the moment it was taken.
 */
class PlacementPolicyPropertiesTest {

    private static final List<String> LABELS = List.of("gpu", "ssd", "arm");
    private static final List<String> NODE_NAMES = List.of("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7");
    private static final Pattern FULL = Pattern.compile("full \\((\\d+)/(\\d+) slots busy\\)$");

    private final PlacementPolicy policy = new PlacementPolicy();

    record Scenario(List<NodeView> nodes, List<TaskRequest> tasks) {
        ClusterView view() {
            return new ClusterView(nodes);
        }

        NodeView node(String name) {
            return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
        }
    }

    // --- generators -----------------------------------------------------------------------------------

    private static final List<Protection> PROTECTIONS =
            List.of(Protection.NO_NETWORK, Protection.MEMORY_LIMIT, Protection.PID_ISOLATION);
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** What a generated node adds to its slots: protections, capacity, use and availability. */
    record Offer(Set<Protection> protections, Amounts capacity, Amounts used, String unavailableReason) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Amounts> capacity = Combinators.combine(Arbitraries.of(0.5, 1.0, 2.0, 4.0, 8.0),
                Arbitraries.of(GIB, 2 * GIB, 4 * GIB, 8 * GIB), Arbitraries.of(GIB, 10 * GIB)).as(Amounts::of);
        Arbitrary<Offer> offer = Combinators.combine(
                Arbitraries.of(PROTECTIONS).set(),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Amounts.UNLIMITED)), Tuple.of(4, capacity)),
                Arbitraries.frequency(Tuple.of(3, 0.0), Tuple.of(3, 0.5), Tuple.of(2, 0.9), Tuple.of(1, 1.2)),
                Arbitraries.frequency(Tuple.of(8, ""), Tuple.of(1, "paused by its owner"), Tuple.of(1, "owner active")))
                .as((protections, cap, usedShare, unavailable) -> new Offer(protections, cap,
                        cap == Amounts.UNLIMITED ? Amounts.NONE : new Amounts((long) (cap.millicpus() * usedShare),
                                (long) (cap.memoryBytes() * usedShare), (long) (cap.diskBytes() * usedShare)),
                        unavailable));
        Arbitrary<NodeView> node = Combinators.combine(
                Arbitraries.integers().between(0, 6),                                    // slots
                Arbitraries.integers().between(0, 6),                                    // running, capped
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(12, false)),        // oversubscribed
                Arbitraries.of(LABELS).set().ofMaxSize(3),
                Arbitraries.oneOf(Arbitraries.of(0L, 100L, 100L, 5_000L, 10_000L),
                        Arbitraries.longs().between(0, 30_000)),
                Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false)))          // accepting
                .as((slots, running, over, labels, latency, accepting) -> new NodeView("?", slots,
                        over ? slots + 1 : Math.min(running, slots), labels, latency, accepting))
                .flatMap(slotsOnly -> offer.map(o -> new NodeView(slotsOnly.name(), slotsOnly.slots(),
                        slotsOnly.running(), slotsOnly.labels(), slotsOnly.latencyMicros(), slotsOnly.accepting(),
                        o.protections(), o.capacity(), o.used(), o.unavailableReason())));
        Arbitrary<List<NodeView>> nodes = node.list().ofMaxSize(NODE_NAMES.size()).map(list ->
                IntStream.range(0, list.size()).mapToObj(i -> renamed(list.get(i), NODE_NAMES.get(i))).toList());

        Arbitrary<Set<String>> required = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.of())),
                Tuple.of(2, Arbitraries.of(LABELS).set().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<Set<String>> avoid = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Set.of())),
                Tuple.of(1, Arbitraries.of(NODE_NAMES).set().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Amounts> demand = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Amounts.NONE)),
                Tuple.of(3, Combinators.combine(Arbitraries.of(0.25, 0.5, 1.0, 2.0, 4.0),
                        Arbitraries.of(256 * MIB, GIB, 2 * GIB, 4 * GIB), Arbitraries.of(100 * MIB, GIB, 5 * GIB))
                        .as(Amounts::of)));
        Arbitrary<Set<Protection>> protections = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.of())),
                Tuple.of(1, Arbitraries.of(PROTECTIONS).set().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<TaskRequest> task = Combinators.combine(
                Arbitraries.of("j0", "j1", "j2", "j3"),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 3),                                    // priority
                Arbitraries.longs().between(0, 3),                                       // submittedAt
                required, avoid, demand, protections)
                .as((job, index, priority, at, labels, avoided, amounts, needed) ->
                        new TaskRequest(job + "/" + index, priority, at, index, labels, avoided, amounts, needed));
        Arbitrary<List<TaskRequest>> tasks = task.list().ofMaxSize(60).uniqueElements(TaskRequest::taskId);

        return Combinators.combine(nodes, tasks).as(Scenario::new);
    }

    private static NodeView renamed(NodeView n, String name) {
        return new NodeView(name, n.slots(), n.running(), n.labels(), n.latencyMicros(), n.accepting(),
                n.protections(), n.capacity(), n.used(), n.unavailableReason());
    }

    private static NodeView afterPlacing(NodeView n, TaskRequest t) {
        return new NodeView(n.name(), n.slots(), n.running() + 1, n.labels(), n.latencyMicros(), n.accepting(),
                n.protections(), n.capacity(), n.used().plus(t.demand()), n.unavailableReason());
    }

    // --- a replay of a round --------------------------------------------------------------------------

    /** One decision with the cluster as it was just before it. */
    record Step(TaskRequest task, Decision decision, List<NodeView> before) {
        List<NodeView> candidates() {
            return before.stream().filter(n -> canTake(n, task)).toList();
        }
    }

    private static boolean canTake(NodeView n, TaskRequest t) {
        return n.accepting() && n.available() && n.free() > 0 && n.labels().containsAll(t.requiredLabels())
                && n.protections().containsAll(t.requiredProtections())
                && t.demand().fitsIn(n.capacity().minus(n.used()));
    }

    private List<Step> replay(Scenario s) {
        List<Decision> decisions = policy.placeRound(s.tasks(), s.view());
        Map<String, TaskRequest> tasks = s.tasks().stream()
                .collect(Collectors.toMap(TaskRequest::taskId, t -> t));
        List<NodeView> now = new ArrayList<>(s.nodes());
        List<Step> steps = new ArrayList<>();
        for (Decision d : decisions) {
            steps.add(new Step(tasks.get(d.taskId()), d, List.copyOf(now)));
            if (d instanceof Placed p) {
                TaskRequest placed = tasks.get(d.taskId());
                now.replaceAll(n -> n.name().equals(p.node()) ? afterPlacing(n, placed) : n);
            }
        }
        return steps;
    }

    // --- safety ---------------------------------------------------------------------------------------

    @Property(tries = 2000)
    void neverPlacesMoreTasksOnANodeThanItHasFreeSlots(@ForAll("scenarios") Scenario s) {
        Map<String, Long> placed = policy.placeRound(s.tasks(), s.view()).stream()
                .filter(Placed.class::isInstance).map(Placed.class::cast)
                .collect(Collectors.groupingBy(Placed::node, Collectors.counting()));

        placed.forEach((node, count) -> assertThat(count).as(node).isLessThanOrEqualTo(
                Math.max(0, s.node(node).free())));
    }

    @Property(tries = 2000)
    void neverPlacesMoreCpusMemoryOrDiskOnANodeThanItHasLeft(@ForAll("scenarios") Scenario s) {
        Map<String, TaskRequest> tasks = s.tasks().stream().collect(Collectors.toMap(TaskRequest::taskId, t -> t));
        Map<String, Amounts> placed = new HashMap<>();
        for (Decision d : policy.placeRound(s.tasks(), s.view())) {
            if (d instanceof Placed p) {
                placed.merge(p.node(), tasks.get(p.taskId()).demand(), Amounts::plus);
            }
        }

        placed.forEach((node, demand) -> {
            NodeView n = s.node(node);
            assertThat(n.used().plus(demand).fitsIn(n.capacity())).as("%s more on %s", demand, n).isTrue();
        });
    }

    @Property(tries = 2000)
    void neverPlacesOnANodeThatIsUnavailableOrLacksARequiredProtection(@ForAll("scenarios") Scenario s) {
        Map<String, TaskRequest> tasks = s.tasks().stream().collect(Collectors.toMap(TaskRequest::taskId, t -> t));
        for (Decision d : policy.placeRound(s.tasks(), s.view())) {
            if (d instanceof Placed p) {
                NodeView n = s.node(p.node());
                assertThat(n.available()).as("%s available", n).isTrue();
                assertThat(n.protections()).containsAll(tasks.get(p.taskId()).requiredProtections());
            }
        }
    }

    @Property(tries = 2000)
    void placesOnlyOnAcceptingNodesWithAFreeSlotAndEveryRequiredLabel(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (step.decision() instanceof Placed p) {
                NodeView n = step.before().stream().filter(x -> x.name().equals(p.node())).findFirst().orElseThrow();
                assertThat(canTake(n, step.task())).as("%s on %s", step.task(), n).isTrue();
            }
        }
    }

    @Property(tries = 2000)
    void leavesATaskUnplacedOnlyWhenNoNodeCouldTakeItAtThatPoint(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (step.decision() instanceof Unplaced) {
                assertThat(step.candidates()).as("candidates for %s", step.task()).isEmpty();
            }
        }
    }

    @Property(tries = 3000)
    @StatisticsReport(StatisticsReportMode.OFF) // the coverage check below is what matters
    void givesTheMostSpecificReasonForAWait(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (!(step.decision() instanceof Unplaced u)) {
                continue;
            }
            TaskRequest t = step.task();
            Set<String> labels = t.requiredLabels();
            List<NodeView> labelled = step.before().stream().filter(n -> n.labels().containsAll(labels)).toList();
            List<NodeView> offering = labelled.stream()
                    .filter(n -> n.protections().containsAll(t.requiredProtections())).toList();
            List<NodeView> bigEnough = offering.stream().filter(n -> t.demand().fitsIn(n.capacity())).toList();
            List<NodeView> accepting = bigEnough.stream().filter(NodeView::accepting).toList();
            List<NodeView> available = accepting.stream().filter(NodeView::available).toList();
            List<NodeView> withSlot = available.stream().filter(n -> n.free() > 0).toList();
            String category;
            if (step.before().isEmpty()) {
                category = "no node online";
                assertThat(u.reason()).isEqualTo("no node is online");
            } else if (labelled.isEmpty()) {
                category = "labels missing";
                assertThat(u.reason()).isEqualTo("no node has labels " + new java.util.TreeSet<>(labels));
            } else if (offering.isEmpty()) {
                category = "protections missing";
                assertThat(u.reason()).startsWith("no node").contains(" offers [").endsWith("]");
            } else if (bigEnough.isEmpty()) {
                category = "too small";
                assertThat(u.reason()).startsWith("no node").contains(" offers ").containsAnyOf("(largest: ", " at once");
            } else if (accepting.isEmpty()) {
                category = "not accepting";
                assertThat(u.reason()).contains("accepting tasks").contains(String.valueOf(bigEnough.size() == 1
                        ? "only" : bigEnough.size()));
            } else if (available.isEmpty()) {
                category = "unavailable";
                assertThat(u.reason()).contains(accepting.size() == 1 ? "the only node" : "all " + accepting.size())
                        .contains(" unavailable (");
            } else if (withSlot.isEmpty()) {
                category = "full";
                Matcher m = FULL.matcher(u.reason());
                assertThat(m.find()).as(u.reason()).isTrue();
                int slots = available.stream().mapToInt(NodeView::slots).sum();
                assertThat(m.group(1)).isEqualTo(m.group(2)).isEqualTo(String.valueOf(slots));
            } else {
                category = "not enough free";
                assertThat(u.reason()).startsWith("no node").containsAnyOf(" free (largest free: ", " free at once");
            }
            Statistics.collect(category);
        }
        Statistics.coverage(c -> {
            for (String category : List.of("no node online", "labels missing", "protections missing", "too small",
                    "not accepting", "unavailable", "full", "not enough free")) {
                c.check(category).count(n -> n > 0);
            }
        });
    }

    // --- order ----------------------------------------------------------------------------------------

    @Property(tries = 1000)
    void decidesEveryTaskOnceInPriorityThenSubmissionThenJobThenIndexOrder(@ForAll("scenarios") Scenario s) {
        List<Decision> decisions = policy.placeRound(s.tasks(), s.view());
        Map<String, TaskRequest> byId = s.tasks().stream().collect(Collectors.toMap(TaskRequest::taskId, t -> t));
        Comparator<TaskRequest> expected = Comparator.comparing((TaskRequest t) -> -t.priority())
                .thenComparing(TaskRequest::submittedAt)
                .thenComparing(t -> t.taskId().substring(0, t.taskId().lastIndexOf('/')))
                .thenComparing(TaskRequest::index);

        List<TaskRequest> order = decisions.stream().map(d -> byId.get(d.taskId())).toList();

        assertThat(order).containsExactlyInAnyOrderElementsOf(s.tasks()).isSortedAccordingTo(expected);
    }

    @Property(tries = 2000)
    void whenCapacityIsShort_lowerPriorityTasksNeverTakeASlotAHigherPriorityTaskCouldHaveUsed(
            @ForAll("scenarios") Scenario s) {
        List<Step> steps = replay(s);
        for (Step waiting : steps) {
            if (!(waiting.decision() instanceof Unplaced)) {
                continue;
            }
            for (Step other : steps) {
                if (other.decision() instanceof Placed p && other.task().priority() < waiting.task().priority()) {
                    // The node had no room for the waiting task when it was decided (it comes first): a smaller
                    // task may still use what is left, but never what the waiting one could have had.
                    NodeView node = waiting.before().stream().filter(n -> n.name().equals(p.node())).findFirst()
                            .orElseThrow();
                    assertThat(canTake(node, waiting.task()))
                            .as("%s placed on %s while %s waits", other.task(), node, waiting.task()).isFalse();
                }
            }
        }
    }

    @Property(tries = 1000)
    void withoutLabels_noLowerPriorityTaskIsPlacedWhileAHigherOneWaits(
            @ForAll("scenarios") Scenario generated) {
        // Without labels, protections and demands every task asks the same of a node.
        List<TaskRequest> plain = generated.tasks().stream().map(t -> new TaskRequest(t.taskId(), t.priority(),
                t.submittedAt(), t.index(), Set.of(), t.avoidNodes())).toList();
        List<Decision> decisions = policy.placeRound(plain, generated.view());
        Map<String, Integer> priority = plain.stream()
                .collect(Collectors.toMap(TaskRequest::taskId, TaskRequest::priority));

        int lowestPlaced = decisions.stream().filter(Placed.class::isInstance)
                .mapToInt(d -> priority.get(d.taskId())).min().orElse(Integer.MAX_VALUE);
        int highestWaiting = decisions.stream().filter(Unplaced.class::isInstance)
                .mapToInt(d -> priority.get(d.taskId())).max().orElse(Integer.MIN_VALUE);

        assertThat(lowestPlaced).isGreaterThanOrEqualTo(highestWaiting);
    }

    // --- determinism ----------------------------------------------------------------------------------

    @Property(tries = 1000)
    void givesTheSameDecisionsForTheSameInput_inWhateverOrderTasksAndNodesCome(
            @ForAll("scenarios") Scenario s, @ForAll long seed) {
        List<TaskRequest> tasks = new ArrayList<>(s.tasks());
        List<NodeView> nodes = new ArrayList<>(s.nodes());
        Random random = new Random(seed);
        Collections.shuffle(tasks, random);
        Collections.shuffle(nodes, random);

        List<Decision> first = policy.placeRound(s.tasks(), s.view());

        assertThat(policy.placeRound(s.tasks(), s.view())).isEqualTo(first);
        assertThat(new PlacementPolicy().placeRound(tasks, new ClusterView(nodes))).isEqualTo(first);
    }

    @Property(tries = 1000)
    void aRoundDecidesEachTaskAsPlaceOneWouldOnTheViewOfThatMoment(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            assertThat(policy.placeOne(step.task(), new ClusterView(step.before()))).isEqualTo(step.decision());
        }
    }

    // --- choice of node -------------------------------------------------------------------------------

    @Property(tries = 2000)
    void prefersANodeTheTaskDoesNotAvoidWheneverOneFits(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (step.decision() instanceof Placed p && step.task().avoidNodes().contains(p.node())) {
                assertThat(step.candidates()).as("candidates for %s", step.task())
                        .allMatch(n -> step.task().avoidNodes().contains(n.name()));
            }
        }
    }

    @Property(tries = 2000)
    void neverPicksANodeThatAnotherEquallyPreferredCandidateBeatsOnLoadAndLatency(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (!(step.decision() instanceof Placed p)) {
                continue;
            }
            Set<String> avoid = step.task().avoidNodes();
            NodeView chosen = step.before().stream().filter(n -> n.name().equals(p.node())).findFirst().orElseThrow();
            for (NodeView other : step.candidates()) {
                if (avoid.contains(other.name()) != avoid.contains(chosen.name())) {
                    continue;
                }
                int load = compareLoadAfterPlacement(other, chosen);
                int latency = Long.compare(other.latencyMicros(), chosen.latencyMicros());
                boolean dominates = load <= 0 && latency <= 0 && (load < 0 || latency < 0);
                assertThat(dominates).as("%s beats %s for %s", other, chosen, step.task()).isFalse();
            }
        }
    }

    /** Compares (running + 1) / slots exactly, by cross-multiplying. */
    private static int compareLoadAfterPlacement(NodeView a, NodeView b) {
        return Long.compare((long) (a.running() + 1) * b.slots(), (long) (b.running() + 1) * a.slots());
    }

    @Property(tries = 1000)
    void choosesWhatTheDocumentedScoreChooses(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (!(step.decision() instanceof Placed p)) {
                continue;
            }
            List<NodeView> candidates = step.candidates();
            List<NodeView> preferred = candidates.stream()
                    .filter(n -> !step.task().avoidNodes().contains(n.name())).toList();
            NodeView expected = (preferred.isEmpty() ? candidates : preferred).stream()
                    .min(Comparator.comparingDouble((NodeView n) -> (n.running() + 1) / (double) n.slots()
                                    + PlacementPolicy.LATENCY_WEIGHT
                                    * Math.min(n.latencyMicros(), PlacementPolicy.LATENCY_CAP_MICROS)
                                    / PlacementPolicy.LATENCY_CAP_MICROS)
                            .thenComparingLong(NodeView::latencyMicros)
                            .thenComparing(NodeView::name))
                    .orElseThrow();
            assertThat(p.node()).isEqualTo(expected.name());
        }
    }

    @Property(tries = 1000)
    void amongNodesEqualButForLoad_theLeastLoadedWinsThenTheFirstName(
            @ForAll @IntRange(min = 1, max = 8) int slots, @ForAll("runningCounts") List<Integer> running) {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            nodes.add(new NodeView(NODE_NAMES.get(i), slots, Math.min(running.get(i), slots - 1), Set.of(), 500,
                    true));
        }
        int least = nodes.stream().mapToInt(NodeView::running).min().orElseThrow();
        String expected = nodes.stream().filter(n -> n.running() == least).map(NodeView::name).sorted()
                .findFirst().orElseThrow();

        Decision d = policy.placeOne(new TaskRequest("j/0", 0, 0, 0, Set.of(), Set.of()), new ClusterView(nodes));

        assertThat(d).isEqualTo(new Placed("j/0", expected));
    }

    @Property(tries = 1000)
    void amongNodesEqualButForLatency_theNearestWinsThenTheFirstName(
            @ForAll @IntRange(min = 1, max = 8) int slots, @ForAll("latencies") List<Long> latencies) {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < latencies.size(); i++) {
            nodes.add(new NodeView(NODE_NAMES.get(i), slots, slots / 2, Set.of(), latencies.get(i), true));
        }
        long nearest = Collections.min(latencies);
        String expected = nodes.stream().filter(n -> n.latencyMicros() == nearest).map(NodeView::name).sorted()
                .findFirst().orElseThrow();

        Decision d = policy.placeOne(new TaskRequest("j/0", 0, 0, 0, Set.of(), Set.of()), new ClusterView(nodes));

        assertThat(d).isEqualTo(new Placed("j/0", expected));
    }

    @Provide
    Arbitrary<List<Integer>> runningCounts() {
        return Arbitraries.integers().between(0, 7).list().ofMinSize(1).ofMaxSize(NODE_NAMES.size());
    }

    @Provide
    Arbitrary<List<Long>> latencies() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 100L, 10_000L, 50_000L), Arbitraries.longs().between(0, 60_000))
                .list().ofMinSize(1).ofMaxSize(NODE_NAMES.size());
    }

    @Property(tries = 1000)
    void spreadsTasksEvenlyOverEqualEmptyNodes(@ForAll @IntRange(min = 1, max = 8) int nodeCount,
                                                @ForAll @IntRange(min = 1, max = 6) int slots,
                                                @ForAll @IntRange(min = 0, max = 48) int taskCount) {
        int tasks = Math.min(taskCount, nodeCount * slots);
        List<NodeView> nodes = NODE_NAMES.subList(0, nodeCount).stream()
                .map(name -> new NodeView(name, slots, 0, Set.of(), 200, true)).toList();
        List<TaskRequest> queued = IntStream.range(0, tasks)
                .mapToObj(i -> new TaskRequest("j/" + i, 0, 0, i, Set.of(), Set.of())).toList();

        List<Decision> decisions = policy.placeRound(queued, new ClusterView(nodes));

        assertThat(decisions).allMatch(Placed.class::isInstance);
        Map<String, Integer> perNode = new HashMap<>();
        nodes.forEach(n -> perNode.put(n.name(), 0));
        decisions.forEach(d -> perNode.merge(((Placed) d).node(), 1, Integer::sum));
        assertThat(Collections.max(perNode.values()) - Collections.min(perNode.values())).isLessThanOrEqualTo(1);
    }
}
