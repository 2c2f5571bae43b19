package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.jobs.RecordFixtures.aSweep;
import static org.planetarymesh.jobs.RecordFixtures.aTask;
import static org.planetarymesh.jobs.RecordFixtures.anAcceptedJob;
import static org.planetarymesh.jobs.RecordFixtures.failure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.TaskState;

/**
 * The per-label-set queues that keep a round from sorting every queued task: whatever the tasks and
 * whatever happened to them, the candidates are exactly the head of the full queue per label set.
 */
class SchedulingStateQueuePropertiesTest {
    private static final long EPOCH = 3;
    private static final String[][] LABEL_SETS = {{}, {"gpu"}, {"gpu", "ssd"}};
    private static final Comparator<TaskRecord> PLACEMENT_ORDER = Comparator
            .comparingInt((TaskRecord t) -> -t.priority()).thenComparingLong(TaskRecord::submittedAt)
            .thenComparing(TaskRecord::jobId).thenComparingInt(TaskRecord::index);

    @Property(tries = 300)
    void candidatesAreTheHeadOfTheQueueOfEachLabelSet(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 8) Integer> shapes,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 39) Integer> assignments,
            @ForAll @IntRange(min = 1, max = 6) int limit) {
        SchedulingState state = new SchedulingState(EPOCH);
        // Each task's shape picks its job (3), its priority (3) and its labels (3): 27 combinations.
        Map<String, List<TaskRecord>> byJob = new java.util.LinkedHashMap<>();
        for (int i = 0; i < shapes.size(); i++) {
            int shape = shapes.get(i);
            String job = "j-" + (shape % 3);
            TaskRecord task = aTask(job, i).withPriority(shape / 3 % 3).withMaxAttempts(2)
                    .needing(LABEL_SETS[(shape + i) % 3]).writtenBy(EPOCH).build();
            byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(task);
        }
        byJob.forEach((job, tasks) -> state.adoptJob(
                anAcceptedJob(job, aSweep(tasks.size())).withTasksCreated(EPOCH), tasks));
        // Move some tasks out of the queue and some back in (a failed attempt with one left is requeued).
        for (int pick : assignments) {
            List<TaskRecord> queued = state.queued();
            if (queued.isEmpty()) {
                break;
            }
            TaskRecord assigned = state.assign(queued.get(pick % queued.size()).taskId(), "n" + pick % 3, 10);
            if (pick % 2 == 0) {
                state.apply(failure(assigned));
            }
        }

        List<TaskRecord> queued = state.queued();
        List<TaskRecord> candidates = state.queuedCandidates(limit);

        assertThat(queued).allMatch(t -> t.state() == TaskState.QUEUED).isSortedAccordingTo(PLACEMENT_ORDER);
        Map<List<String>, List<String>> expected = queued.stream().collect(Collectors.groupingBy(
                TaskRecord::requiredLabels, Collectors.collectingAndThen(Collectors.toList(),
                        l -> l.stream().limit(limit).map(TaskRecord::taskId).toList())));
        Map<List<String>, List<String>> actual = candidates.stream().collect(Collectors.groupingBy(
                TaskRecord::requiredLabels, Collectors.mapping(TaskRecord::taskId, Collectors.toList())));
        assertThat(actual).isEqualTo(expected);
    }
}
