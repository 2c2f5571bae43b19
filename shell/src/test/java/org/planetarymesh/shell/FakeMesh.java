package org.planetarymesh.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobResults;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.TaskView;

/** An in-memory mesh: jobs and nodes are what the test put there; a job's status follows a script. */
final class FakeMesh implements MeshClient {
    private final Map<String, FakeJob> jobs = new LinkedHashMap<>();
    private final List<NodeInfo> nodes = new ArrayList<>();
    private final Map<String, BlockedNode> blocked = new TreeMap<>();
    private final Deque<FakeJob> nextSubmissions = new ArrayDeque<>();
    final List<JobSpec> submitted = new ArrayList<>();
    boolean closed;

    /** Adds a job whose status is {@code statuses} in turn, one per {@link JobHandle#status()} call, then the last. */
    FakeJob addJob(JobStatus... statuses) {
        var job = new FakeJob(List.of(statuses));
        jobs.put(job.id(), job);
        return job;
    }

    /** The next {@link #submit} creates this job (its statuses are scripted like {@link #addJob}). */
    FakeJob onNextSubmit(JobStatus... statuses) {
        var job = new FakeJob(List.of(statuses));
        nextSubmissions.add(job);
        return job;
    }

    FakeMesh addNode(NodeInfo node) {
        nodes.add(node);
        return this;
    }

    @Override
    public JobHandle submit(JobSpec spec) {
        submitted.add(spec);
        FakeJob job = nextSubmissions.remove();
        jobs.put(job.id(), job);
        return job;
    }

    @Override
    public JobHandle job(String jobId) {
        FakeJob job = jobs.get(jobId);
        if (job == null) {
            throw new MeshException("no job " + jobId);
        }
        return job;
    }

    @Override
    public List<JobStatus> jobs() {
        List<JobStatus> newestFirst = new ArrayList<>();
        jobs.values().forEach(j -> newestFirst.add(0, j.current()));
        return newestFirst;
    }

    @Override
    public List<NodeInfo> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public BlockedNode block(String node, String reason) {
        if (nodes.stream().noneMatch(n -> n.name().equals(node))) {
            throw new MeshException("unknown node '" + node + "'");
        }
        return blocked.computeIfAbsent(node, n -> new BlockedNode(n, reason, "tester", Instant.parse("2026-11-26T10:00:00Z")));
    }

    @Override
    public BlockedNode unblock(String node) {
        BlockedNode removed = blocked.remove(node);
        if (removed == null) {
            throw new MeshException("node '" + node + "' is not blocked");
        }
        return removed;
    }

    @Override
    public List<BlockedNode> blocked() {
        return List.copyOf(blocked.values());
    }

    @Override
    public void close() {
        closed = true;
    }

    static final class FakeJob implements JobHandle {
        private final Deque<JobStatus> script;
        private List<TaskView> tasks = List.of();
        private Map<String, Integer> tasksPerNode = Map.of();
        private Duration wallTime = Duration.ZERO;
        int statusCalls;
        boolean cancelled;

        private FakeJob(List<JobStatus> statuses) {
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("a job needs a status");
            }
            this.script = new ArrayDeque<>(statuses);
        }

        FakeJob withTasks(TaskView... views) {
            tasks = List.of(views);
            return this;
        }

        FakeJob withTasksPerNode(Map<String, Integer> perNode) {
            tasksPerNode = perNode;
            return this;
        }

        FakeJob withWallTime(Duration value) {
            wallTime = value;
            return this;
        }

        JobStatus current() {
            return script.peek();
        }

        @Override
        public String id() {
            return current().jobId();
        }

        @Override
        public JobStatus status() {
            statusCalls++;
            return script.size() > 1 ? script.remove() : script.peek();
        }

        @Override
        public JobStatus await(Duration timeout) {
            throw new UnsupportedOperationException("the console follows jobs with status()");
        }

        @Override
        public List<TaskView> tasks() {
            return tasks;
        }

        @Override
        public JobResults results() {
            return new JobResults(current(), tasks, tasksPerNode, wallTime);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
