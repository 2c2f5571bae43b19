package org.planetarymesh.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.AGENT;
import static org.planetarymesh.jobs.RecordFixtures.NOW;
import static org.planetarymesh.jobs.RecordFixtures.aJobId;
import static org.planetarymesh.jobs.RecordFixtures.aNode;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.agent.CancelAttempts;
import org.planetarymesh.agent.HeldAttempts;
import org.planetarymesh.agent.RunAttempts;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.FencedWrites;
import org.planetarymesh.scheduler.MapLeaderLock;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.OneCoordinator;
import org.planetarymesh.testing.TestCluster;

/**
 * Everything the mesh stores or sends between members is serialized with Compact: the records with
 * zero config, the entry processors that carry records registered in {@code MemberConfigs} (they are
 * {@code Serializable} through {@code EntryProcessor}, and Java serialization fails on the records). This
 * guards that assumption: each type must come back equal from a coordinator's serialization, as Compact,
 * including nulls, empty lists and maps.
 */
class CompactRecordsTest {
    /** Set by Hazelcast on deserialization ({@code HazelcastInstanceAware}), transient, not serialized. */
    private static final String INJECTED_INSTANCE = "hz";

    @RegisterExtension
    static final OneCoordinator COORDINATOR = new OneCoordinator();

    private final HazelcastInstance coordinator = COORDINATOR.member();

    static Stream<Arguments> storedRecords() {
        String jobId = aJobId();
        TaskRecord queued = aTask(jobId, 0).build();
        TaskRecord failed = aTask(jobId, 1).needing("gpu", "linux").withMaxAttempts(1).in(TaskState.FAILED)
                .writtenBy(4).build();
        TaskRecord timedOut = aTask(jobId, 2).withMaxAttempts(1).in(TaskState.TIMED_OUT).build();
        return Stream.of(
                Arguments.of("accepted job", anAcceptedJob(jobId, aSweep(3, "gpu"))),
                Arguments.of("job in progress, cancel requested", anAcceptedJob(jobId, aSweep(3)).withTasksCreated(2)
                        .withCounts(new StateCounts(1, 1, 0, 1, 0, 0, 0, 0), NOW + 5, 2).withCancelRequested()),
                Arguments.of("queued task: null exit code, empty lists and attempt id", queued),
                Arguments.of("failed task: exit code, tried nodes, labels", failed),
                Arguments.of("timed-out task: null exit code after an attempt", timedOut),
                Arguments.of("evicted task: usage and evictions", aTask(jobId, 3).assignedTo(AGENT).running().evicted()
                        .build()),
                Arguments.of("job with resources, no network and required protections", anAcceptedJob(jobId,
                        JobSpec.builder("sandboxed").command("run").resources(new Resources(0.5, 256L << 20,
                                1L << 30, 64)).network(NetworkAccess.NONE).requires(Protection.MEMORY_LIMIT).build())),
                Arguments.of("node with protections, caps, paused", aNode("agent-3").offering("memory-limit",
                        "no-network").unavailable("paused by its owner").build()),
                Arguments.of("node", aNode(AGENT).labelled("gpu", "linux").heartbeat(1, 250).build()),
                Arguments.of("node without labels, offline", aNode("agent-2").offline().build()),
                Arguments.of("running report: null exit code", TaskReport.running(queued.taskId(), "t@1", AGENT, NOW)),
                Arguments.of("final report", new TaskReport(failed.taskId(), failed.attemptId(), AGENT,
                        TaskState.FAILED, 3, "out", "err", true, NOW, NOW + 9, "exit code 3", false, 120, 5 << 20)),
                Arguments.of("launch with files", new TaskLaunch(queued.taskId(), jobId, "t@1", 1,
                        List.of("sh", "work.sh"), List.of("X=1"), Map.of("work.sh", "echo hi\n", "data/in.txt", "42"),
                        60_000, new Resources(0.5, 256L << 20, 1L << 30, 64), NetworkAccess.NONE)),
                Arguments.of("launch without files or env", new TaskLaunch(queued.taskId(), jobId, "t@2", 2,
                        List.of("true"), List.of(), Map.of(), 1_000, Resources.DEFAULT, NetworkAccess.ALLOWED)),
                Arguments.of("put-task processor (carries a task)", new FencedWrites.PutTask(4, failed)),
                Arguments.of("update-job processor (carries counts)",
                        new FencedWrites.UpdateJob(4, StateCounts.allQueued(3), NOW, 0, true)));
    }

    /** Entry processors without records: registered as Compact too (MemberConfigs), never Java-serialized. */
    static Stream<Arguments> plainEntryProcessors() {
        return Stream.of(
                Arguments.of("cancel-request processor", new RequestCancel()),
                Arguments.of("next-epoch processor", new MapLeaderLock.NextEpoch()),
                Arguments.of("heartbeat processor", new NodeRegistry.Heartbeat(List.of("j-1/0@1", "j-1/1@2"), "paused by its owner", 300, 0.5, 1L << 30, NOW)),
                Arguments.of("set-state processor", new NodeRegistry.SetState("uuid-1", NodeState.SUSPECT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedRecords")
    void when_aRecordIsSerializedByACoordinator_then_itIsCompactAndComesBackEqual(String what, Object record) {
        assertThat(TestCluster.serializesAsCompact(coordinator, record)).as("serialized as Compact").isTrue();
        assertThat(TestCluster.roundTrip(coordinator, record)).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainEntryProcessors")
    void when_aPlainEntryProcessorIsSerializedByACoordinator_then_itIsCompactAndComesBackEqual(String what,
                                                                                              Object processor) {
        assertThat(TestCluster.serializesAsCompact(coordinator, processor)).as("serialized as Compact").isTrue();
        assertThat(TestCluster.roundTrip(coordinator, processor)).isEqualTo(processor);
    }

    @Test
    void when_aBatchOfLaunchesIsSerialized_then_itIsCompactAndKeepsEveryLaunch() {
        RunAttempts batch = new RunAttempts(List.of(
                new TaskLaunch("j/0", "j", "j/0@1", 1, List.of("echo", "0"), List.of(), Map.of("a.sh", "x"), 5, Resources.DEFAULT,
                        NetworkAccess.ALLOWED),
                new TaskLaunch("j/1", "j", "j/1@1", 1, List.of("echo", "1"), List.of("Y=2"), Map.of(), 5, Resources.DEFAULT,
                        NetworkAccess.ALLOWED)));

        assertThat(TestCluster.serializesAsCompact(coordinator, batch)).isTrue();
        assertThat(TestCluster.roundTrip(coordinator, batch)).usingRecursiveComparison()
                .ignoringFields(INJECTED_INSTANCE).isEqualTo(batch);
    }

    @Test
    void when_aKillRequestIsSerialized_then_itIsCompactAndKeepsEveryAttempt() {
        CancelAttempts kill = new CancelAttempts(List.of("j/0@1", "j/1@3"));

        assertThat(TestCluster.serializesAsCompact(coordinator, kill)).isTrue();
        assertThat(TestCluster.roundTrip(coordinator, kill)).usingRecursiveComparison()
                .ignoringFields(INJECTED_INSTANCE).isEqualTo(kill);
    }

    @Test
    void when_aQuestionForHeldAttemptsIsSerialized_then_itIsCompactAndKeepsTheNode() {
        HeldAttempts question = new HeldAttempts("agent-1");

        assertThat(TestCluster.serializesAsCompact(coordinator, question)).isTrue();
        assertThat(TestCluster.roundTrip(coordinator, question)).usingRecursiveComparison()
                .ignoringFields(INJECTED_INSTANCE).isEqualTo(question);
    }

    @Test
    void when_aTaskIsStoredInTheTasksMap_then_itReadsBackEqual() {
        TaskRecord task = aTask(aJobId(), 0).in(TaskState.SUCCEEDED).build();

        COORDINATOR.tasks().set(task.taskId(), task);

        assertThat(COORDINATOR.tasks().get(task.taskId())).isEqualTo(task);
    }

    @Test
    void when_aJobIsStoredInTheJobsMap_then_itReadsBackEqual() {
        JobRecord job = anAcceptedJob(aJobId(), aSweep(2, "gpu"));

        COORDINATOR.jobs().set(job.jobId(), job);

        assertThat(COORDINATOR.jobs().get(job.jobId())).isEqualTo(job);
    }
}
