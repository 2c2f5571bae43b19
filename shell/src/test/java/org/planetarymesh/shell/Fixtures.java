package org.planetarymesh.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.Progress;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/** Builders for the submitter's records: {@code aJob("j-1").counts(11, 1, 3, 15).build()}. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private Fixtures() {
    }

    /** A progress with {@code ok} succeeded, {@code failed} failed, {@code running} running, {@code queued} queued. */
    static Progress progress(int ok, int failed, int running, int queued) {
        return new Progress(ok + failed + running + queued, queued, 0, running, ok, failed, 0, 0, 0);
    }

    static JobSpec aSpec() {
        return new JobSpec("sweep", List.of("python3", "run.py", "{x}"), Map.of(), Map.of(),
                Map.of("x", List.of("1", "2")), Duration.ofMinutes(5), 3, 0, Set.of(), null,
                Resources.DEFAULT, NetworkAccess.ALLOWED, Set.of());
    }

    static JobBuilder aJob(String id) {
        return new JobBuilder(id);
    }

    static TaskBuilder aTask(int index) {
        return new TaskBuilder(index);
    }

    static NodeBuilder aNode(String name) {
        return new NodeBuilder(name);
    }

    static final class JobBuilder {
        private final String id;
        private String name = "sweep";
        private Progress progress = Progress.allQueued(4);
        private JobState state;
        private Instant submittedAt = T0;
        private Optional<Instant> startedAt = Optional.empty();
        private Optional<Instant> finishedAt = Optional.empty();

        private JobBuilder(String id) {
            this.id = id;
        }

        JobBuilder named(String value) {
            name = value;
            return this;
        }

        JobBuilder counts(int ok, int failed, int running, int queued) {
            progress = Fixtures.progress(ok, failed, running, queued);
            return this;
        }

        JobBuilder progress(Progress value) {
            progress = value;
            return this;
        }

        /** Overrides the state derived from the counts (e.g. CANCELLED). */
        JobBuilder state(JobState value) {
            state = value;
            return this;
        }

        JobBuilder submittedAt(Instant value) {
            submittedAt = value;
            return this;
        }

        JobBuilder startedAt(Instant value) {
            startedAt = Optional.of(value);
            return this;
        }

        JobBuilder finishedAt(Instant value) {
            finishedAt = Optional.of(value);
            return this;
        }

        JobStatus build() {
            JobState derived = state != null ? state : progress.jobState(false);
            return new JobStatus(id, name, derived, progress, 0, submittedAt, startedAt, finishedAt);
        }
    }

    static final class TaskBuilder {
        private final int index;
        private final Map<String, String> params = new LinkedHashMap<>();
        private TaskState state = TaskState.QUEUED;
        private int attempt;
        private Optional<String> node = Optional.empty();
        private Optional<Integer> exitCode = Optional.empty();
        private String stdout = "";
        private boolean truncated;
        private Optional<Duration> duration = Optional.empty();
        private Optional<Duration> cpuTime = Optional.empty();
        private OptionalLong peakMemory = OptionalLong.empty();
        private String reason = "";

        private TaskBuilder(int index) {
            this.index = index;
        }

        TaskBuilder param(String name, String value) {
            params.put(name, value);
            return this;
        }

        TaskBuilder succeeded(String output) {
            return finished(TaskState.SUCCEEDED, 0, output);
        }

        TaskBuilder failed(int code, String why) {
            finished(TaskState.FAILED, code, "");
            reason = why;
            return this;
        }

        TaskBuilder running() {
            state = TaskState.RUNNING;
            attempt = 1;
            return this;
        }

        TaskBuilder on(String nodeName) {
            node = Optional.of(nodeName);
            return this;
        }

        TaskBuilder took(Duration value) {
            duration = Optional.of(value);
            return this;
        }

        /** The node measured what the attempt used. */
        TaskBuilder used(Duration cpu, long peakMemoryBytes) {
            cpuTime = Optional.of(cpu);
            peakMemory = OptionalLong.of(peakMemoryBytes);
            return this;
        }

        TaskBuilder truncatedOutput() {
            truncated = true;
            return this;
        }

        private TaskBuilder finished(TaskState finalState, int code, String output) {
            state = finalState;
            attempt = Math.max(attempt, 1);
            exitCode = Optional.of(code);
            stdout = output;
            return this;
        }

        TaskView build() {
            return new TaskView("j-1-" + index, "j-1", index, params, state, attempt, node, exitCode, stdout, "",
                    truncated, duration, reason, cpuTime, peakMemory);
        }
    }

    static final class NodeBuilder {
        private final String name;
        private String role = "agent";
        private NodeState state = NodeState.HEALTHY;
        private int slots = 4;
        private int running;
        private Set<String> labels = Set.of();
        private Set<Protection> protections = Set.of();
        private String unavailable = "";

        private NodeBuilder(String name) {
            this.name = name;
        }

        NodeBuilder coordinator() {
            role = "coordinator";
            return this;
        }

        NodeBuilder offline() {
            state = NodeState.OFFLINE;
            return this;
        }

        NodeBuilder running(int tasks) {
            running = tasks;
            return this;
        }

        NodeBuilder protecting(Protection... values) {
            protections = Set.of(values);
            return this;
        }

        NodeBuilder unavailable(String why) {
            unavailable = why;
            return this;
        }

        NodeBuilder labels(String... values) {
            labels = Set.of(values);
            return this;
        }

        NodeInfo build() {
            return new NodeInfo(name, role, name + ".lan:5701", state, 8, 16L * 1024 * 1024 * 1024, "Linux",
                    "amd64", slots, running, labels, "17.0.15", 420, T0, T0.plusSeconds(60), protections, 8,
                    16L << 30, 100L << 30, unavailable);
        }
    }
}
