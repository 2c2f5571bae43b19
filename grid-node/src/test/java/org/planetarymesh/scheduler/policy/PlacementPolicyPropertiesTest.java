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

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<NodeView> node = Combinators.combine(
                Arbitraries.integers().between(0, 6),                                    // slots
                Arbitraries.integers().between(0, 6),                                    // running, capped
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(12, false)),        // oversubscribed
                Arbitraries.of(LABELS).set().ofMaxSize(3),
                Arbitraries.oneOf(Arbitraries.of(0L, 100L, 100L, 5_000L, 10_000L),
                        Arbitraries.longs().between(0, 30_000)),
                Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false)))          // accepting
                .as((slots, running, over, labels, latency, accepting) -> new NodeView("?", slots,
                        over ? slots + 1 : Math.min(running, slots), labels, latency, accepting));
        Arbitrary<List<NodeView>> nodes = node.list().ofMaxSize(NODE_NAMES.size()).map(list ->
                IntStream.range(0, list.size()).mapToObj(i -> renamed(list.get(i), NODE_NAMES.get(i))).toList());

        Arbitrary<Set<String>> required = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.of())),
                Tuple.of(2, Arbitraries.of(LABELS).set().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<Set<String>> avoid = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Set.of())),
                Tuple.of(1, Arbitraries.of(NODE_NAMES).set().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<TaskRequest> task = Combinators.combine(
                Arbitraries.of("j0", "j1", "j2", "j3"),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 3),                                    // priority
                Arbitraries.longs().between(0, 3),                                       // submittedAt
                required, avoid)
                .as((job, index, priority, at, labels, avoided) ->
                        new TaskRequest(job + "/" + index, priority, at, index, labels, avoided));
        Arbitrary<List<TaskRequest>> tasks = task.list().ofMaxSize(60).uniqueElements(TaskRequest::taskId);

        return Combinators.combine(nodes, tasks).as(Scenario::new);
    }

    private static NodeView renamed(NodeView n, String name) {
        return new NodeView(name, n.slots(), n.running(), n.labels(), n.latencyMicros(), n.accepting());
    }

    // --- a replay of a round --------------------------------------------------------------------------

    /** One decision with the cluster as it was just before it. */
    record Step(TaskRequest task, Decision decision, List<NodeView> before) {
        List<NodeView> candidates() {
            return before.stream().filter(n -> canTake(n, task)).toList();
        }
    }

    private static boolean canTake(NodeView n, TaskRequest t) {
        return n.accepting() && n.free() > 0 && n.labels().containsAll(t.requiredLabels());
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
                now.replaceAll(n -> n.name().equals(p.node())
                        ? new NodeView(n.name(), n.slots(), n.running() + 1, n.labels(), n.latencyMicros(),
                        n.accepting())
                        : n);
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

    @Property(tries = 2000)
    @StatisticsReport(StatisticsReportMode.OFF) // the coverage check below is what matters
    void givesTheMostSpecificReasonForAWait(@ForAll("scenarios") Scenario s) {
        for (Step step : replay(s)) {
            if (!(step.decision() instanceof Unplaced u)) {
                continue;
            }
            Set<String> labels = step.task().requiredLabels();
            List<NodeView> labelled = step.before().stream().filter(n -> n.labels().containsAll(labels)).toList();
            List<NodeView> accepting = labelled.stream().filter(NodeView::accepting).toList();
            String category;
            if (step.before().isEmpty()) {
                category = "no node online";
                assertThat(u.reason()).isEqualTo("no node is online");
            } else if (labelled.isEmpty()) {
                category = "labels missing";
                assertThat(u.reason()).isEqualTo("no node has labels " + new java.util.TreeSet<>(labels));
            } else if (accepting.isEmpty()) {
                category = "not accepting";
                assertThat(u.reason()).contains("accepting tasks").contains(String.valueOf(labelled.size() == 1
                        ? "only" : labelled.size()));
            } else {
                category = "full";
                Matcher m = FULL.matcher(u.reason());
                assertThat(m.find()).as(u.reason()).isTrue();
                int slots = accepting.stream().mapToInt(NodeView::slots).sum();
                assertThat(m.group(1)).isEqualTo(m.group(2)).isEqualTo(String.valueOf(slots));
            }
            Statistics.collect(category);
        }
        Statistics.coverage(c -> {
            c.check("no node online").count(n -> n > 0);
            c.check("labels missing").count(n -> n > 0);
            c.check("not accepting").count(n -> n > 0);
            c.check("full").count(n -> n > 0);
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
                    NodeView node = s.node(p.node());
                    assertThat(node.labels().containsAll(waiting.task().requiredLabels()))
                            .as("%s placed on %s while %s waits", other.task(), node, waiting.task()).isFalse();
                }
            }
        }
    }

    @Property(tries = 1000)
    void withoutLabels_noLowerPriorityTaskIsPlacedWhileAHigherOneWaits(
            @ForAll("scenarios") Scenario generated) {
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
