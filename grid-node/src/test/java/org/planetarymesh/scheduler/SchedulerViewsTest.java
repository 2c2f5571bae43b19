package org.planetarymesh.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aNode;
import static org.planetarymesh.jobs.RecordFixtures.aTask;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.Amounts;
import org.planetarymesh.scheduler.policy.NodeView;
import org.planetarymesh.scheduler.policy.TaskRequest;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;

class SchedulerViewsTest {
    private static final JobExpansion.Terms SMALL = new JobExpansion.Terms(Map.of(),
            new Resources(0.5, 256L << 20, 1L << 30, 64), NetworkAccess.NONE, Set.of(Protection.NO_NETWORK));
    private static final JobExpansion.Terms BIG = new JobExpansion.Terms(Map.of(),
            new Resources(2, 4L << 30, 10L << 30, 64), NetworkAccess.ALLOWED, Set.of());

    private static NodeRecord withOffer(NodeRecord n, List<String> protections, double cpus, long memory, long disk,
                                        String unavailable) {
        return new NodeRecord(n.name(), n.role(), n.memberUuid(), n.address(), n.cores(), n.memoryBytes(), n.os(),
                n.arch(), n.slots(), n.labels(), n.javaVersion(), n.state(), n.runningAttempts(), n.latencyMicros(),
                n.loadAverage(), n.freeMemoryBytes(), protections, cpus, memory, disk, unavailable, n.joinedAt(),
                n.lastSeen());
    }

    @Test
    void when_aNodeRunsTasksOfTwoJobs_then_itsUseIsTheSumOfTheirJobsDemands() {
        NodeRecord node = withOffer(aNode("n1").labelled("gpu").build(), List.of("no-network", "memory-limit"), 4,
                8L << 30, 100L << 30, "");
        List<TaskRecord> onNode = List.of(aTask("small", 0).assignedTo("n1").build(),
                aTask("small", 1).assignedTo("n1").running().build(), aTask("big", 0).assignedTo("n1").build());

        NodeView view = SchedulerViews.nodeView(node, onNode, true, job -> job.equals("big") ? BIG : SMALL);

        assertThat(view.running()).isEqualTo(3);
        assertThat(view.used()).isEqualTo(new Amounts(3000, (4L << 30) + (512L << 20), (12L << 30)));
        assertThat(view.capacity()).isEqualTo(new Amounts(4000, 8L << 30, 100L << 30));
        assertThat(view.protections()).containsExactlyInAnyOrder(Protection.NO_NETWORK, Protection.MEMORY_LIMIT);
        assertThat(view.labels()).containsExactly("gpu");
        assertThat(view.available()).isTrue();
    }

    @Test
    void when_theOwnerPausedTheNode_then_theViewIsUnavailableSayingWhy() {
        NodeRecord node = withOffer(aNode("n1").build(), List.of(), 4, 8L << 30, 100L << 30, "paused by its owner");

        NodeView view = SchedulerViews.nodeView(node, List.of(), true, job -> SMALL);

        assertThat(view.available()).isFalse();
        assertThat(view.unavailableReason()).isEqualTo("paused by its owner");
    }

    @Test
    void when_aNodeAdvertisesAProtectionThisVersionDoesNotKnow_then_itIsLeftOut() {
        NodeRecord node = withOffer(aNode("n1").build(), List.of("gpu-isolation", "pid-isolation"), 1, 1L << 30,
                1L << 30, "");

        assertThat(SchedulerViews.protections(node)).containsExactly(Protection.PID_ISOLATION);
    }

    @Test
    void when_anAgentRegisteredWithoutCaps_then_itOffersTheWholeHost() {
        NodeRecord node = withOffer(aNode("n1").build(), List.of(), 0, 0, 0, "");

        assertThat(SchedulerViews.capacity(node).millicpus()).isEqualTo(node.cores() * 1000L);
        assertThat(SchedulerViews.capacity(node).memoryBytes()).isEqualTo(node.memoryBytes());
    }

    @Test
    void when_aQueuedTaskIsRequested_then_itCarriesItsJobsDemandProtectionsAndTriedNodes() {
        TaskRecord task = aTask("small", 0).needing("gpu").assignedTo("n1").evicted().build();

        TaskRequest request = SchedulerViews.taskRequest(task, SMALL);

        assertThat(request.demand()).isEqualTo(new Amounts(500, 256L << 20, 1L << 30));
        assertThat(request.requiredProtections()).containsExactly(Protection.NO_NETWORK);
        assertThat(request.avoidNodes()).containsExactly("n1");
        assertThat(request.requiredLabels()).containsExactly("gpu");
    }
}
