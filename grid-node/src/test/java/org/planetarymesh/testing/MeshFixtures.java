package org.planetarymesh.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.SweepExpander;
import org.planetarymesh.jobs.TaskDefinition;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.TaskState;

/**
 * Stored records for cluster tests, built the way the mesh builds them (through their factory and
 * transition methods): {@code aTask("j-1", 0).requiring("gpu").in(TaskState.RUNNING).writtenBy(3).build()}.
 */
public final class MeshFixtures {
    public static final long NOW = 1_700_000_000_000L;
    /** A moment after {@link #NOW}. */
    public static final long LATER = NOW + 10_000;
    public static final String AGENT = "agent-1";
    private static final AtomicInteger JOBS = new AtomicInteger();

    private MeshFixtures() {
    }

    /** A fresh job id, unique in this JVM. */
    public static String aJobId() {
        return "j-test-" + JOBS.incrementAndGet();
    }

    /** A sweep of {@code tasks} tasks ({@code x = 1..tasks}) whose nodes must carry {@code labels}. */
    public static JobSpec aSweep(int tasks, String... labels) {
        JobSpec.Builder spec = JobSpec.builder("sweep").command("echo", "{x}")
                .param("x", java.util.stream.IntStream.rangeClosed(1, tasks).boxed().toList());
        for (String label : labels) {
            spec.label(label);
        }
        return spec.build();
    }

    /** A job as the submitting client stores it (the acceptance point). */
    public static JobRecord anAcceptedJob(String jobId, JobSpec spec) {
        return JobRecord.accepted(jobId, spec.name(), spec.toJson(), SweepExpander.taskCount(spec), spec.priority(),
                NOW);
    }

    /**
     * A job of {@code tasks} tasks as a client of a newer version might store it: its spec carries a field this
     * version does not know, so the leader cannot read it.
     */
    public static JobRecord aJobWithUnreadableSpec(String jobId, int tasks) {
        JobSpec spec = aSweep(tasks);
        String json = spec.toJson();
        String newer = "{\"gpus\":1," + json.substring(1);
        return JobRecord.accepted(jobId, spec.name(), newer, SweepExpander.taskCount(spec), spec.priority(), NOW);
    }

    public static TaskBuilder aTask(String jobId, int index) {
        return new TaskBuilder(jobId, index);
    }

    /** Builds a task through the transitions the scheduler applies; one attempt, so failures are final. */
    public static final class TaskBuilder {
        private final String jobId;
        private final int index;
        private List<String> labels = List.of();
        private TaskState state = TaskState.QUEUED;
        private long epoch = 1;
        private String node = AGENT;

        private TaskBuilder(String jobId, int index) {
            this.jobId = jobId;
            this.index = index;
        }

        public TaskBuilder requiring(String... required) {
            labels = List.of(required);
            return this;
        }

        public TaskBuilder in(TaskState target) {
            state = target;
            return this;
        }

        /** The node of its attempt, for a state past QUEUED; {@link #AGENT} unless told. */
        public TaskBuilder on(String nodeName) {
            node = nodeName;
            return this;
        }

        public TaskBuilder writtenBy(long writerEpoch) {
            epoch = writerEpoch;
            return this;
        }

        public TaskRecord build() {
            TaskDefinition definition = new TaskDefinition(index, List.of("x"), List.of(String.valueOf(index)),
                    List.of("echo", String.valueOf(index)), Map.of("X", String.valueOf(index)));
            TaskRecord queued = TaskRecord.queued(jobId, definition, 0, 60_000, 1, labels, NOW, epoch);
            if (state == TaskState.QUEUED) {
                return queued;
            }
            if (state == TaskState.CANCELLED) {
                return queued.cancelled(NOW + 1, epoch);
            }
            TaskRecord assigned = queued.assign(node, NOW + 1, epoch);
            if (state == TaskState.ASSIGNED) {
                return assigned;
            }
            if (state == TaskState.LOST) {
                return assigned.attemptLost("node " + node + " left the mesh", true, NOW + 2, epoch);
            }
            TaskRecord running = assigned.running(NOW + 2, epoch);
            if (state == TaskState.RUNNING) {
                return running;
            }
            Integer exitCode = switch (state) {
                case SUCCEEDED -> 0;
                case FAILED -> 1;
                default -> null;
            };
            return running.attemptEnded(new TaskReport(running.taskId(), running.attemptId(), node, state, exitCode,
                    "out", "err", false, NOW + 2, NOW + 3, state == TaskState.SUCCEEDED ? "" : "it " + state), epoch);
        }
    }
}
