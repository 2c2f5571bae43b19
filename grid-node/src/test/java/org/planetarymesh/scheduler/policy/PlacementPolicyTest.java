package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.scheduler.policy.SchedulerFixtures.aNode;
import static org.planetarymesh.scheduler.policy.SchedulerFixtures.aTask;
import static org.planetarymesh.scheduler.policy.SchedulerFixtures.viewOf;
import static org.planetarymesh.scheduler.policy.SchedulerFixtures.GIB;
import static org.planetarymesh.scheduler.policy.SchedulerFixtures.MIB;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.planetarymesh.scheduler.policy.Decision.Placed;
import org.planetarymesh.scheduler.policy.Decision.Unplaced;
import org.planetarymesh.submitter.Protection;

class PlacementPolicyTest {

    private final PlacementPolicy policy = new PlacementPolicy();

    private static List<TaskRequest> tasks(String job, int count) {
        return IntStream.range(0, count).mapToObj(i -> aTask(job + "/" + i).build()).toList();
    }

    private static Map<String, Long> perNode(List<Decision> decisions) {
        return decisions.stream().filter(Placed.class::isInstance).map(Placed.class::cast)
                .collect(Collectors.groupingBy(Placed::node, Collectors.counting()));
    }

    private static Map<String, Decision> byTask(List<Decision> decisions) {
        return decisions.stream().collect(Collectors.toMap(Decision::taskId, Function.identity()));
    }

    // --- spreading and load ---------------------------------------------------------------------------

    @Test
    void when_sixTasksMeetThreeEmptyEqualNodes_then_eachNodeRunsTwo() {
        List<Decision> decisions = policy.placeRound(tasks("job", 6),
                viewOf(aNode("a"), aNode("b"), aNode("c")));

        assertThat(decisions).allMatch(Placed.class::isInstance);
        assertThat(perNode(decisions)).containsOnly(Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("c", 2L));
    }

    @Test
    void when_nodesDifferOnlyInLoad_then_theLeastLoadedWins() {
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("a").running(3), aNode("b").running(1), aNode("c").running(2)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_nodesHaveDifferentSizes_then_loadIsComparedAsAFractionOfSlots() {
        // big: 3/8 after placement; small: 1/2 after placement.
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("big").withSlots(8).running(2), aNode("small").withSlots(2)));

        assertThat(d).isEqualTo(new Placed("job/0", "big"));
    }

    @Test
    void when_nodesDifferOnlyInLatency_then_theNearestWins() {
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("a").withLatencyMicros(5_000), aNode("b").withLatencyMicros(300),
                        aNode("c").withLatencyMicros(900)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_latenciesAreBeyondTheCap_then_theLowerStillBreaksTheTie() {
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("a").withLatencyMicros(90_000), aNode("b").withLatencyMicros(20_000)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_aFarNodeIsAWholeSlotLessLoaded_then_loadOutweighsLatency() {
        // far: 1/4 + 0.1 = 0.35; near: 3/4 + 0 = 0.75.
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("far").withLatencyMicros(50_000), aNode("near").running(2).withLatencyMicros(0)));

        assertThat(d).isEqualTo(new Placed("job/0", "far"));
    }

    @Test
    void when_loadDiffersByLessThanTheLatencyWeight_then_theNearNodeWins() {
        // far: 1/20 + 0.1 = 0.15; near: 2/20 + 0 = 0.10.
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("far").withSlots(20).withLatencyMicros(10_000),
                        aNode("near").withSlots(20).running(1).withLatencyMicros(0)));

        assertThat(d).isEqualTo(new Placed("job/0", "near"));
    }

    @Test
    void when_nodesAreIdentical_then_theFirstNameWins_whateverTheViewOrder() {
        Decision d = policy.placeOne(aTask("job/0").build(), viewOf(aNode("zeta"), aNode("alpha"), aNode("mu")));

        assertThat(d).isEqualTo(new Placed("job/0", "alpha"));
    }

    // --- capacity -------------------------------------------------------------------------------------

    @Test
    void when_tasksOutnumberSlots_then_theRoundNeverOversubscribes() {
        List<Decision> decisions = policy.placeRound(tasks("job", 5),
                viewOf(aNode("a").withSlots(1), aNode("b").withSlots(2).running(1)));

        assertThat(perNode(decisions)).containsOnly(Map.entry("a", 1L), Map.entry("b", 1L));
        assertThat(decisions.subList(2, 5)).allSatisfy(d -> assertThat(d)
                .isEqualTo(new Unplaced(d.taskId(), "all 2 accepting nodes are full (3/3 slots busy)")));
    }

    @Test
    void when_theViewIsOversubscribed_then_theNodeIsFullAndTheReasonCapsTheBusyCount() {
        Decision d = policy.placeOne(aTask("job/0").build(), viewOf(aNode("a").withSlots(4).running(6)));

        assertThat(d).isEqualTo(new Unplaced("job/0", "the only accepting node is full (4/4 slots busy)"));
    }

    @Test
    void when_aNodeHasNoSlots_then_itNeverTakesATask() {
        Decision d = policy.placeOne(aTask("job/0").build(), viewOf(aNode("a").withSlots(0)));

        assertThat(d).isEqualTo(new Unplaced("job/0", "the only accepting node is full (0/0 slots busy)"));
    }

    // --- order ----------------------------------------------------------------------------------------

    @Test
    void when_capacityIsShort_then_higherPriorityGoesFirst_evenIfSubmittedLater() {
        List<Decision> decisions = policy.placeRound(
                List.of(aTask("early/0").withPriority(0).submittedAt(1).build(),
                        aTask("urgent/0").withPriority(5).submittedAt(9).build()),
                viewOf(aNode("a").withSlots(1)));

        assertThat(decisions).containsExactly(new Placed("urgent/0", "a"),
                new Unplaced("early/0", "the only accepting node is full (1/1 slots busy)"));
    }

    @Test
    void when_prioritiesAreEqual_then_theEarlierSubmissionGoesFirst() {
        List<Decision> decisions = policy.placeRound(
                List.of(aTask("b/0").submittedAt(20).build(), aTask("a/0").submittedAt(10).build()),
                viewOf(aNode("n").withSlots(1)));

        assertThat(decisions.get(0)).isEqualTo(new Placed("a/0", "n"));
    }

    @Test
    void when_priorityAndTimeAreEqual_then_jobThenNumericIndexDecide() {
        List<TaskRequest> queued = List.of(aTask("job-b/0").build(), aTask("job-a/10").build(),
                aTask("job-a/2").build());

        List<Decision> decisions = policy.placeRound(queued, viewOf(aNode("n").withSlots(10)));

        assertThat(decisions).extracting(Decision::taskId).containsExactly("job-a/2", "job-a/10", "job-b/0");
    }

    @Test
    void when_jobIdsContainSlashes_then_onlyTheLastSlashSeparatesTheIndex() {
        List<TaskRequest> queued = List.of(aTask("team/b/0").build(), aTask("team/a/3").build(),
                aTask("team/a/1").build());

        List<Decision> decisions = policy.placeRound(queued, viewOf(aNode("n")));

        assertThat(decisions).extracting(Decision::taskId).containsExactly("team/a/1", "team/a/3", "team/b/0");
    }

    // --- avoided nodes --------------------------------------------------------------------------------

    @Test
    void when_aRetryAvoidsItsLastNode_then_anotherNodeIsPreferred_evenIfBusier() {
        Decision d = policy.placeOne(aTask("job/0").avoiding("a").build(),
                viewOf(aNode("a"), aNode("b").running(3)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_onlyAvoidedNodesFit_then_theTaskStillRunsOnOne() {
        Decision d = policy.placeOne(aTask("job/0").avoiding("a", "b").build(),
                viewOf(aNode("a").running(1), aNode("b"), aNode("c").running(4)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    // --- labels and reasons ---------------------------------------------------------------------------

    @Test
    void when_aTaskNeedsLabels_then_onlyNodesWithAllOfThemAreUsed() {
        Decision d = policy.placeOne(aTask("job/0").needing("gpu", "ssd").build(),
                viewOf(aNode("a").labelled("gpu"), aNode("b").labelled("ssd"),
                        aNode("c").labelled("gpu", "ssd", "arm").running(3)));

        assertThat(d).isEqualTo(new Placed("job/0", "c"));
    }

    @Test
    void when_noNodeIsOnline_then_theTaskWaitsForOne() {
        assertThat(policy.placeOne(aTask("job/0").build(), viewOf()))
                .isEqualTo(new Unplaced("job/0", "no node is online"));
    }

    @Test
    void when_noNodeHasTheLabels_then_theReasonNamesThem_evenIfNodesAreDraining() {
        Decision d = policy.placeOne(aTask("job/0").needing("ssd", "gpu").build(),
                viewOf(aNode("a").labelled("gpu").draining(), aNode("b")));

        assertThat(d).isEqualTo(new Unplaced("job/0", "no node has labels [gpu, ssd]"));
    }

    @Test
    void when_theLabelledNodesAreDraining_then_theReasonSaysSo() {
        ClusterView view = viewOf(aNode("a").labelled("gpu").draining(), aNode("b").labelled("gpu").draining(),
                aNode("c"));

        assertThat(policy.placeOne(aTask("job/0").needing("gpu").build(), view))
                .isEqualTo(new Unplaced("job/0", "none of the 2 nodes with labels [gpu] is accepting tasks"));
        assertThat(policy.placeOne(aTask("job/0").build(), viewOf(aNode("a").draining())))
                .isEqualTo(new Unplaced("job/0", "the only node online is not accepting tasks"));
    }

    @Test
    void when_theMatchingNodesAreFull_then_theReasonCountsTheirSlots() {
        ClusterView view = viewOf(aNode("a").labelled("gpu").withSlots(2).running(2),
                aNode("b").labelled("gpu").withSlots(4).running(4), aNode("c").labelled("gpu").draining(),
                aNode("d"));

        assertThat(policy.placeOne(aTask("job/0").needing("gpu").build(), view))
                .isEqualTo(new Unplaced("job/0", "all 2 matching nodes are full (6/6 slots busy)"));
    }

    @Test
    void when_oneLabelSetIsExhausted_then_tasksWithOtherLabelsAreStillPlaced() {
        List<TaskRequest> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(aTask("gpu/" + i).withPriority(1).needing("gpu").build());
        }
        queued.add(aTask("plain/0").build());

        Map<String, Decision> decisions = byTask(policy.placeRound(queued,
                viewOf(aNode("g").labelled("gpu").withSlots(2), aNode("p").withSlots(1))));

        assertThat(decisions.get("gpu/2")).isEqualTo(
                new Unplaced("gpu/2", "the only matching node is full (2/2 slots busy)"));
        assertThat(decisions.get("plain/0")).isEqualTo(new Placed("plain/0", "p"));
    }

    // --- contract -------------------------------------------------------------------------------------

    // --- resources, protections and availability ------------------------------------------------------

    @Test
    void when_tasksDemandCpus_then_aRoundFillsANodeUpToItsCpusAndNoFurther() {
        List<TaskRequest> queued = IntStream.range(0, 5)
                .mapToObj(i -> aTask("job/" + i).demanding(1.5, 100 * MIB, MIB).build()).toList();

        List<Decision> decisions = policy.placeRound(queued,
                viewOf(aNode("a").withSlots(10).withCapacity(4, 8 * GIB, 10 * GIB).using(0.5, 0, 0)));

        assertThat(perNode(decisions)).containsExactly(Map.entry("a", 2L));
        assertThat(decisions.get(2)).isEqualTo(new Unplaced("job/2",
                "no node has 1.5 cpus free (largest free: 0.5 cpus)"));
    }

    @Test
    void when_memoryIsShortOnTheLessLoadedNode_then_theTaskGoesWhereItFits() {
        Decision d = policy.placeOne(aTask("job/0").demanding(1, 2 * GIB, MIB).build(), viewOf(
                aNode("a").withCapacity(8, 4 * GIB, 10 * GIB).using(1, 3 * GIB, 0),
                aNode("b").withCapacity(8, 4 * GIB, 10 * GIB).running(3).using(3, GIB, 0)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_noMatchingNodeHasTheMemoryFree_then_theReasonNamesTheLargestFree() {
        Decision d = policy.placeOne(aTask("job/0").needing("gpu").demanding(1, 2 * GIB, MIB).build(), viewOf(
                aNode("a").labelled("gpu").withCapacity(8, 4 * GIB, 10 * GIB).using(1, 3 * GIB, 0),
                aNode("b").labelled("gpu").withCapacity(8, 4 * GIB, 10 * GIB).using(1, 4 * GIB, 0),
                aNode("c").withCapacity(8, 64 * GIB, 10 * GIB)));

        assertThat(d).isEqualTo(new Unplaced("job/0",
                "no node with labels [gpu] has 2 GiB memory free (largest free: 1 GiB)"));
    }

    @Test
    void when_noNodeCouldEverHoldTheDemand_then_theReasonSaysWhatTheLargestOffers() {
        Decision d = policy.placeOne(aTask("job/0").demanding(1, 64 * GIB, MIB).build(),
                viewOf(aNode("a").withCapacity(8, 16 * GIB, 10 * GIB), aNode("b").withCapacity(8, 32 * GIB, 10 * GIB)));

        assertThat(d).isEqualTo(new Unplaced("job/0", "no node offers 64 GiB memory (largest: 32 GiB)"));
    }

    @Test
    void when_eachAmountFitsSomewhereButNeverTogether_then_theReasonSaysAtOnce() {
        Decision d = policy.placeOne(aTask("job/0").demanding(2, 2 * GIB, GIB).build(), viewOf(
                aNode("a").withCapacity(8, 4 * GIB, 10 * GIB).using(7, 0, 0),
                aNode("b").withCapacity(8, 4 * GIB, 10 * GIB).using(0, 3 * GIB, 0)));

        assertThat(d).isEqualTo(new Unplaced("job/0", "no node has 2 cpus, 2 GiB memory and 1 GiB disk free at once"));
    }

    @Test
    void when_diskRunsOutDuringARound_then_laterTasksWait() {
        List<TaskRequest> queued = IntStream.range(0, 3)
                .mapToObj(i -> aTask("job/" + i).demanding(0.1, 10 * MIB, 4 * GIB).build()).toList();

        List<Decision> decisions = policy.placeRound(queued, viewOf(aNode("a").withCapacity(8, 8 * GIB, 10 * GIB)));

        assertThat(perNode(decisions)).containsExactly(Map.entry("a", 2L));
        assertThat(decisions.get(2)).isEqualTo(new Unplaced("job/2", "no node has 4 GiB disk free (largest free: 2 GiB)"));
    }

    @Test
    void when_aTaskRequiresProtections_then_onlyNodesOfferingAllOfThemAreUsed() {
        Decision d = policy.placeOne(aTask("job/0").requiring(Protection.NO_NETWORK, Protection.MEMORY_LIMIT).build(),
                viewOf(aNode("a").offering(Protection.NO_NETWORK),
                        aNode("b").offering(Protection.MEMORY_LIMIT, Protection.NO_NETWORK, Protection.CPU_LIMIT)
                                .running(3),
                        aNode("c").offering(Protection.MEMORY_LIMIT)));

        assertThat(d).isEqualTo(new Placed("job/0", "b"));
    }

    @Test
    void when_noNodeOffersARequiredProtection_then_theReasonNamesIt() {
        Decision d = policy.placeOne(aTask("job/0").requiring(Protection.NO_NETWORK).build(),
                viewOf(aNode("a").offering(Protection.MEMORY_LIMIT), aNode("b")));

        assertThat(d).isEqualTo(new Unplaced("job/0", "no node offers [no-network]"));
    }

    @Test
    void when_theLabelledNodesLackTheProtection_then_theReasonNamesTheLabelsToo() {
        Decision d = policy.placeOne(aTask("job/0").needing("gpu").requiring(Protection.PID_ISOLATION).build(),
                viewOf(aNode("a").labelled("gpu"), aNode("b").offering(Protection.PID_ISOLATION)));

        assertThat(d).isEqualTo(new Unplaced("job/0", "no node with labels [gpu] offers [pid-isolation]"));
    }

    @Test
    void when_theOnlyNodeIsPausedByItsOwner_then_itGetsNothingAndTheReasonSaysWhy() {
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("a").running(1).unavailable("paused by its owner")));

        assertThat(d).isEqualTo(new Unplaced("job/0", "the only node online is unavailable (paused by its owner)"));
    }

    @Test
    void when_someNodesAreUnavailable_then_theAvailableOneTakesTheWork() {
        List<Decision> decisions = policy.placeRound(tasks("job", 3), viewOf(
                aNode("a").unavailable("owner active"), aNode("b").withSlots(2), aNode("c").unavailable("paused")));

        assertThat(perNode(decisions)).containsExactly(Map.entry("b", 2L));
        assertThat(decisions.get(2)).isEqualTo(new Unplaced("job/2", "the only accepting node is full (2/2 slots busy)"));
    }

    @Test
    void when_everyNodeIsUnavailable_then_theReasonListsEachWhy() {
        Decision d = policy.placeOne(aTask("job/0").build(),
                viewOf(aNode("a").unavailable("owner active"), aNode("b").unavailable("paused by its owner")));

        assertThat(d).isEqualTo(new Unplaced("job/0",
                "all 2 nodes online are unavailable (owner active; paused by its owner)"));
    }

    @Test
    void when_aSmallTaskFollowsABigOneThatWaits_then_theSmallOneIsStillPlaced() {
        List<Decision> decisions = policy.placeRound(List.of(
                aTask("job/0").withPriority(5).demanding(4, GIB, MIB).build(),
                aTask("job/1").demanding(1, GIB, MIB).build()),
                viewOf(aNode("a").withCapacity(2, 8 * GIB, 10 * GIB)));

        assertThat(byTask(decisions)).containsEntry("job/1", new Placed("job/1", "a"))
                .containsEntry("job/0", new Unplaced("job/0", "no node offers 4 cpus (largest: 2 cpus)"));
    }

    @Test
    void when_aTaskIsQueuedTwice_then_theRoundIsRefused() {
        List<TaskRequest> queued = List.of(aTask("job/0").build(), aTask("job/0").withPriority(3).build());

        assertThatThrownBy(() -> policy.placeRound(queued, viewOf(aNode("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job/0");
    }

    @Test
    void when_aNodeAppearsTwice_then_theViewIsRefused() {
        assertThatThrownBy(() -> viewOf(aNode("a"), aNode("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    }

    @Test
    void when_inputsAreMutatedAfterwards_then_requestsAndViewsKeepTheirValues() {
        Set<String> labels = new java.util.HashSet<>(Set.of("gpu"));
        NodeView node = new NodeView("a", 1, 0, labels, 0, true);
        labels.clear();

        assertThat(node.labels()).containsExactly("gpu");
    }

    // --- size -----------------------------------------------------------------------------------------

    @Test
    void when_tenThousandTasksMeetFiftyNodes_then_theRoundIsFastAndFillsEverySlot() {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            nodes.add(new NodeView(String.format("node-%02d", i), 4, i % 3, i % 5 == 0 ? Set.of("gpu") : Set.of(),
                    100L * i, true));
        }
        List<TaskRequest> queued = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Set<String> labels = i % 10 == 0 ? Set.of("gpu") : i % 97 == 0 ? Set.of("tpu") : Set.of();
            queued.add(new TaskRequest("job-" + (i % 7) + "/" + i, i % 4, i / 100, i, labels,
                    i % 3 == 0 ? Set.of("node-01") : Set.of()));
        }
        ClusterView view = new ClusterView(nodes);
        int freeSlots = nodes.stream().mapToInt(NodeView::free).sum();
        policy.placeRound(queued, view); // warm up

        long start = System.nanoTime();
        List<Decision> decisions = policy.placeRound(queued, view);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(decisions).hasSize(10_000);
        assertThat(decisions.stream().filter(Placed.class::isInstance).count()).isEqualTo(freeSlots);
        assertThat(decisions).filteredOn(d -> d.taskId().equals("job-6/97"))
                .containsExactly(new Unplaced("job-6/97", "no node has labels [tpu]"));
        assertThat(millis).as("a round of 10,000 tasks on 50 nodes, in ms").isLessThan(1_000);
    }
}
