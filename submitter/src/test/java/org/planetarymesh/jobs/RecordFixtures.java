package org.planetarymesh.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;

/**
 * The stored records (jobs, tasks, reports, nodes) for the tests of every module, built the way the mesh
 * builds them: through their factory and transition methods, never field by field where a transition exists.
 * {@code aTask().withMaxAttempts(2).failedOn("n1").assignedTo("n2").running().build()},
 * {@code aTask(jobId, 0).in(TaskState.RUNNING).writtenBy(5).build()}. Other modules get them from submitter's
 * test-jar.
 */
public final class RecordFixtures {

    /** The job of {@link #aTask()}. */
    public static final String JOB = "job-1";
    /** When the records are accepted; the builders' later steps come a few milliseconds after. */
    public static final long NOW = 1_000;
    /** A moment after {@link #NOW} and after every step a builder takes. */
    public static final long LATER = NOW + 10_000;
    /** The leader epoch of every write of a built task, unless {@link TaskBuilder#writtenBy} says otherwise. */
    public static final long EPOCH = 7;
    /** The node the tasks of {@link TaskBuilder#in} run on. */
    public static final String AGENT = "agent-1";

    private static final AtomicInteger JOBS = new AtomicInteger();

    private RecordFixtures() {
    }

    // --- jobs -------------------------------------------------------------------------------------------

    /** A fresh job id, unique in this JVM. */
    public static String aJobId() {
        return "j-test-" + JOBS.incrementAndGet();
    }

    /** A sweep of {@code tasks} tasks ({@code x = 1..tasks}) whose nodes must carry {@code labels}. */
    public static JobSpec aSweep(int tasks, String... labels) {
        JobSpec.Builder spec = JobSpec.builder("sweep").command("echo", "{x}")
                .param("x", IntStream.rangeClosed(1, tasks).boxed().toList());
        for (String label : labels) {
            spec.label(label);
        }
        return spec.build();
    }

    /** A job as the submitting client stores it (the acceptance point). */
    public static JobRecord anAcceptedJob(String jobId, JobSpec spec) {
        return accepted(jobId, spec, spec.toJson());
    }

    /**
     * A job of {@code tasks} tasks as a client of a newer version might store it: its spec carries a field this
     * version does not know, so the leader cannot read it.
     */
    public static JobRecord aJobWithUnreadableSpec(String jobId, int tasks) {
        JobSpec spec = aSweep(tasks);
        return accepted(jobId, spec, "{\"gpus\":1," + spec.toJson().substring(1));
    }

    private static JobRecord accepted(String jobId, JobSpec spec, String specJson) {
        return JobRecord.accepted(jobId, spec.name(), specJson, SweepExpander.taskCount(spec), spec.priority(), NOW);
    }

    // --- reports ----------------------------------------------------------------------------------------

    /** An ending report for the current attempt of {@code task}. */
    public static TaskReport report(TaskRecord task, TaskState outcome, Integer exitCode, String stderr,
                                    String reason) {
        return new TaskReport(task.taskId(), task.attemptId(), task.node(), outcome, exitCode,
                "out of " + task.attemptId(), stderr, false, 0, NOW + 500, reason, false, -1, -1);
    }

    /** The node gave the current attempt of {@code task} back: its owner needs the machine. */
    public static TaskReport eviction(TaskRecord task) {
        return new TaskReport(task.taskId(), task.attemptId(), task.node(), TaskState.CANCELLED, null,
                "out of " + task.attemptId(), "", false, 0, NOW + 500, "owner active", true, 1_200, 64L << 20);
    }

    /** A successful report that measured what the attempt used. */
    public static TaskReport measuredSuccess(TaskRecord task, long cpuMillis, long peakMemoryBytes) {
        return new TaskReport(task.taskId(), task.attemptId(), task.node(), TaskState.SUCCEEDED, 0,
                "out of " + task.attemptId(), "", false, 0, NOW + 500, "", false, cpuMillis, peakMemoryBytes);
    }

    public static TaskReport success(TaskRecord task) {
        return report(task, TaskState.SUCCEEDED, 0, "", "");
    }

    public static TaskReport failure(TaskRecord task) {
        return report(task, TaskState.FAILED, 1, "boom at " + task.attemptId(), "exit code 1");
    }

    public static TaskReport timeout(TaskRecord task) {
        return report(task, TaskState.TIMED_OUT, null, "slow at " + task.attemptId(), "timed out after 2s");
    }

    // --- tasks ------------------------------------------------------------------------------------------

    /** Task 0 of {@link #JOB}. */
    public static TaskBuilder aTask() {
        return aTask(JOB, 0);
    }

    public static TaskBuilder aTask(String jobId, int index) {
        return new TaskBuilder(jobId, index);
    }

    /**
     * A task queued as its job is accepted, then taken through the steps given, in order, each a transition
     * the scheduler applies. {@link JobSpec#DEFAULT_MAX_ATTEMPTS} attempts unless told, so a failed attempt is
     * retried: a task that ends FAILED, TIMED_OUT or LOST needs {@code withMaxAttempts(1)} (or as many attempts
     * as its steps use).
     */
    public static final class TaskBuilder {
        private final String jobId;
        private final int index;
        private int maxAttempts = JobSpec.DEFAULT_MAX_ATTEMPTS;
        private int priority = 0;
        private List<String> labels = List.of();
        private long epoch = EPOCH;
        private final Life<TaskRecord> life = new Life<>();

        private TaskBuilder(String jobId, int index) {
            this.jobId = jobId;
            this.index = index;
        }

        public TaskBuilder withMaxAttempts(int n) {
            maxAttempts = n;
            return this;
        }

        public TaskBuilder withPriority(int p) {
            priority = p;
            return this;
        }

        public TaskBuilder needing(String... l) {
            labels = List.of(l);
            return this;
        }

        /** The leader epoch of every write of the task, from its creation on. */
        public TaskBuilder writtenBy(long writerEpoch) {
            epoch = writerEpoch;
            return this;
        }

        /**
         * The shortest life that ends in {@code target}, on {@link #AGENT}: for tests that go over the states.
         * {@link #build} checks that the task is in {@code target}.
         */
        public TaskBuilder in(TaskState target) {
            switch (target) {
                case QUEUED -> { }
                case ASSIGNED -> assignedTo(AGENT);
                case RUNNING -> assignedTo(AGENT).running();
                case SUCCEEDED -> assignedTo(AGENT).running().succeeded();
                case FAILED -> failedOn(AGENT);
                case TIMED_OUT -> assignedTo(AGENT).running().timedOut();
                case LOST -> assignedTo(AGENT).lost(true);
                case CANCELLED -> cancelled();
            }
            life.then(t -> {
                if (t.state() != target) {
                    throw new IllegalStateException("in(" + target + ") left " + t.taskId() + " " + t.state()
                            + " with " + t.maxAttempts() + " attempts allowed: give it withMaxAttempts(1)");
                }
                return t;
            });
            return this;
        }

        public TaskBuilder assignedTo(String node) {
            life.at((t, now) -> t.assign(node, now, epoch));
            return this;
        }

        public TaskBuilder running() {
            life.at((t, now) -> t.running(now, epoch));
            return this;
        }

        public TaskBuilder succeeded() {
            life.then(t -> t.attemptEnded(success(t), epoch));
            return this;
        }

        public TaskBuilder failed() {
            life.then(t -> t.attemptEnded(failure(t), epoch));
            return this;
        }

        public TaskBuilder timedOut() {
            life.then(t -> t.attemptEnded(timeout(t), epoch));
            return this;
        }

        /** One whole attempt on {@code node} that ran and failed. */
        public TaskBuilder failedOn(String node) {
            return assignedTo(node).running().failed();
        }

        /** Its node gives the current attempt back. */
        public TaskBuilder evicted() {
            life.then(t -> t.evicted(eviction(t), epoch));
            return this;
        }

        public TaskBuilder lost(boolean countsAsAttempt) {
            life.at((t, now) -> t.attemptLost("node left", countsAsAttempt, now, epoch));
            return this;
        }

        public TaskBuilder cancelled() {
            life.at((t, now) -> t.cancelled(now, epoch));
            return this;
        }

        public TaskRecord build() {
            TaskDefinition def = new TaskDefinition(index, List.of("x"), List.of(String.valueOf(index)),
                    List.of("echo", String.valueOf(index)), Map.of("K", "v"));
            return life.of(TaskRecord.queued(jobId, def, priority, 60_000, maxAttempts, labels, NOW, epoch));
        }
    }

    // --- nodes ------------------------------------------------------------------------------------------

    /** An agent as it registers itself ({@code NodeRegistry.register}), then taken through the steps given. */
    public static NodeBuilder aNode(String name) {
        return new NodeBuilder(name);
    }

    public static final class NodeBuilder {
        private final String name;
        private List<String> labels = List.of();
        private List<String> protections = List.of();
        private String unavailable = "";
        private final Life<NodeRecord> life = new Life<>();

        private NodeBuilder(String name) {
            this.name = name;
        }

        public NodeBuilder labelled(String... l) {
            labels = List.of(l);
            return this;
        }

        /** Its sandbox's protections, as wire names. */
        public NodeBuilder offering(String... wireNames) {
            protections = List.of(wireNames);
            return this;
        }

        /** Its owner paused it, or uses the machine: it takes no new work, for {@code why}. */
        public NodeBuilder unavailable(String why) {
            unavailable = why;
            return this;
        }

        public NodeBuilder heartbeat(int runningTasks, long latencyMicros) {
            List<String> attempts = IntStream.range(0, runningTasks).mapToObj(i -> "j-1/" + i + "@1").toList();
            life.at((n, now) -> n.withHeartbeat(attempts, unavailable, latencyMicros, 0.25, 8L << 30, now));
            return this;
        }

        public NodeBuilder offline() {
            life.then(n -> n.withState(NodeState.OFFLINE));
            return this;
        }

        public NodeRecord build() {
            return life.of(new NodeRecord(name, NodeRecord.AGENT,
                    UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(), "127.0.0.1:5702", 8,
                    16L << 30, "Linux", "amd64", 4, labels, "17.0.9", NodeState.HEALTHY, List.of(), 0, -1, 0, protections,
                    8, 16L << 30, 100L << 30, unavailable, NOW, NOW));
        }
    }

    // --- the steps of a builder -------------------------------------------------------------------------

    /** A transition that happens at a moment. */
    private interface Transition<R> {
        R apply(R record, long now);
    }

    /** The transitions a builder takes its record through, in order; the timed ones 10 ms apart from {@link #NOW}. */
    private static final class Life<R> {
        private final List<UnaryOperator<R>> steps = new ArrayList<>();
        private long clock = NOW;

        void then(UnaryOperator<R> step) {
            steps.add(step);
        }

        void at(Transition<R> step) {
            clock += 10;
            long now = clock;
            steps.add(r -> step.apply(r, now));
        }

        R of(R first) {
            R record = first;
            for (UnaryOperator<R> step : steps) {
                record = step.apply(record);
            }
            return record;
        }
    }
}
