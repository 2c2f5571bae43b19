package org.planetarymesh.scheduler.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.TaskState;

/**
 * The leader's working set: every unfinished job and task, which node holds which attempt, and what
 * changed since the last flush. Pure: no Hazelcast, no clock; the scheduler feeds it events and writes
 * out {@link #drainChanges()}. Only the scheduler thread touches it.
 */
public final class SchedulingState {

    /** What happened to a report. */
    public enum ReportOutcome { APPLIED, STALE }

    /** The tasks and jobs to write since the last drain. */
    public record Changes(List<TaskRecord> tasks, List<JobRecord> jobs) {
        public boolean isEmpty() {
            return tasks.isEmpty() && jobs.isEmpty();
        }
    }

    /** An attempt to kill on a node. */
    public record Kill(String node, String attemptId) {
    }

    private final long epoch;
    private final Map<String, JobRecord> jobs = new HashMap<>();
    private final Map<String, TaskRecord> tasks = new HashMap<>();
    private final Map<String, Set<String>> tasksByNode = new HashMap<>();
    private final Set<String> changedTasks = new LinkedHashSet<>();
    private final Set<String> changedJobs = new LinkedHashSet<>();
    private final Map<String, TaskRecord> finished = new LinkedHashMap<>();
    /** Queued tasks in placement order, one queue per set of required labels. */
    private final Map<List<String>, NavigableSet<QueueKey>> queuedByLabels = new HashMap<>();

    /** A queued task's place in line: the placement order (priority, submission, job, index). */
    private record QueueKey(int priority, long submittedAt, String jobId, int index, String taskId)
            implements Comparable<QueueKey> {
        private static final Comparator<QueueKey> ORDER = Comparator.comparingInt((QueueKey k) -> -k.priority)
                .thenComparingLong(QueueKey::submittedAt).thenComparing(QueueKey::jobId)
                .thenComparingInt(QueueKey::index).thenComparing(QueueKey::taskId);

        static QueueKey of(TaskRecord task) {
            return new QueueKey(task.priority(), task.submittedAt(), task.jobId(), task.index(), task.taskId());
        }

        @Override
        public int compareTo(QueueKey other) {
            return ORDER.compare(this, other);
        }
    }

    private static final Set<TaskState> FAILURES = EnumSet.of(TaskState.FAILED, TaskState.TIMED_OUT, TaskState.LOST);

    /** Placements a task may lose to failed nodes before it ends LOST. */
    public static final int MAX_NODE_LOSSES = 5;

    private final RetryBackoff backoff;
    /** Per job, how many failed tasks it tolerates (-1: no limit), read from its spec on its first failure. */
    private final Map<String, Integer> failureLimits = new HashMap<>();
    /** Attempts to kill because their job was stopped, until the scheduler drains them. */
    private final List<Kill> pendingKills = new ArrayList<>();
    /** Failed tasks waiting out their backoff, by the time they may be placed again; QUEUED but not in line. */
    private final NavigableMap<Long, List<String>> cooling = new TreeMap<>();

    /** A state whose retries go back in line at once. */
    public SchedulingState(long epoch) {
        this(epoch, RetryBackoff.NONE);
    }

    public SchedulingState(long epoch, RetryBackoff backoff) {
        this.epoch = epoch;
        this.backoff = backoff;
    }

    /** Puts the failed tasks whose backoff is over back in line. */
    public void releaseDue(long now) {
        while (!cooling.isEmpty() && cooling.firstKey() <= now) {
            for (String taskId : cooling.pollFirstEntry().getValue()) {
                TaskRecord task = tasks.get(taskId);
                if (task != null && task.state() == TaskState.QUEUED) {
                    enqueue(task);
                }
            }
        }
    }

    public long epoch() {
        return epoch;
    }

    /**
     * Adopts a job and its unfinished tasks (on submission, or when taking over leadership). Each task is
     * stamped with this epoch and written again, which fences out a previous leader for all of them.
     */
    public void adoptJob(JobRecord job, Collection<TaskRecord> unfinished) {
        jobs.put(job.jobId(), job);
        for (TaskRecord adopted : unfinished) {
            TaskRecord task = adopted.stampedBy(epoch);
            tasks.put(task.taskId(), task);
            changedTasks.add(task.taskId());
            if (task.state() == TaskState.QUEUED) {
                enqueue(task);
            }
            if (task.state().isOnNode()) {
                tasksByNode.computeIfAbsent(task.node(), n -> new HashSet<>()).add(task.taskId());
            }
        }
        changedJobs.add(job.jobId());
    }

    /** Fails a job that cannot be run at all: every one of its tasks counts as failed, none is stored. */
    public void rejectJob(JobRecord job, long now) {
        StateCounts failed = StateCounts.none().plus(TaskState.FAILED, job.taskCount());
        jobs.put(job.jobId(), job.withCounts(failed, now, epoch));
        changedJobs.add(job.jobId());
    }

    public boolean knowsJob(String jobId) {
        return jobs.containsKey(jobId);
    }

    JobRecord job(String jobId) {
        return jobs.get(jobId);
    }

    public TaskRecord task(String taskId) {
        TaskRecord task = tasks.get(taskId);
        return task != null ? task : finished.get(taskId);
    }

    /** Every task waiting for placement, in placement order. */
    public List<TaskRecord> queued() {
        List<QueueKey> keys = new ArrayList<>();
        queuedByLabels.values().forEach(keys::addAll);
        keys.sort(null);
        return records(keys);
    }

    /**
     * The first {@code limit} waiting tasks of each set of required labels: all that a round with
     * {@code limit} free slots could place, without sorting every queued task each round.
     */
    public List<TaskRecord> queuedCandidates(int limit) {
        List<QueueKey> keys = new ArrayList<>();
        for (NavigableSet<QueueKey> line : queuedByLabels.values()) {
            Iterator<QueueKey> it = line.iterator();
            for (int i = 0; i < limit && it.hasNext(); i++) {
                keys.add(it.next());
            }
        }
        return records(keys);
    }

    private List<TaskRecord> records(List<QueueKey> keys) {
        List<TaskRecord> out = new ArrayList<>(keys.size());
        for (QueueKey key : keys) {
            TaskRecord task = tasks.get(key.taskId());
            if (!jobs.get(task.jobId()).cancelRequested()) {
                out.add(task);
            }
        }
        return out;
    }

    private void enqueue(TaskRecord task) {
        queuedByLabels.computeIfAbsent(task.requiredLabels(), l -> new TreeSet<>()).add(QueueKey.of(task));
    }

    private void dequeue(TaskRecord task) {
        NavigableSet<QueueKey> line = queuedByLabels.get(task.requiredLabels());
        if (line != null) {
            line.remove(QueueKey.of(task));
            if (line.isEmpty()) {
                queuedByLabels.remove(task.requiredLabels());
            }
        }
    }

    /** How many attempts are on {@code node} now. */
    public int runningOn(String node) {
        Set<String> ids = tasksByNode.get(node);
        return ids == null ? 0 : ids.size();
    }

    /** The tasks the leader has on {@code node} (ASSIGNED or RUNNING there). */
    public List<TaskRecord> onNode(String node) {
        return tasksByNode.getOrDefault(node, Set.of()).stream().map(tasks::get).toList();
    }

    public Set<String> nodesWithTasks() {
        return Set.copyOf(tasksByNode.keySet());
    }

    /** Places a queued task on a node: a new attempt. */
    public TaskRecord assign(String taskId, String node, long now) {
        TaskRecord next = tasks.get(taskId).assign(node, now, epoch);
        replace(next);
        return next;
    }

    /** Records why a queued task was not placed, if the reason changed. */
    public void pending(String taskId, String reason) {
        TaskRecord task = tasks.get(taskId);
        if (task != null && !reason.equals(task.reason())) {
            tasks.put(taskId, task.withPendingReason(reason, epoch));
            changedTasks.add(taskId);
        }
    }

    /** Applies an agent's report with no retry backoff (see {@link #apply(TaskReport, long)}). */
    public ReportOutcome apply(TaskReport report) {
        return apply(report, 0);
    }

    /**
     * Applies an agent's report; a report for any attempt but the current one is stale. A failed attempt with
     * attempts left waits out its {@link RetryBackoff} from {@code now} before it is placed again.
     */
    public ReportOutcome apply(TaskReport report, long now) {
        TaskRecord task = tasks.get(report.taskId());
        // A finished task, or any attempt but the current one: the report is recorded as stale only.
        if (task == null || !task.state().isOnNode() || !task.attemptId().equals(report.attemptId())) {
            return ReportOutcome.STALE;
        }
        if (report.outcome() == TaskState.RUNNING) {
            if (task.state() == TaskState.ASSIGNED) {
                replace(task.running(report.startedAt(), epoch));
            }
            return ReportOutcome.APPLIED;
        }
        if (report.evicted()) {
            // Its node gave it back (the owner needs the machine): not the task's fault nor a failing node; it goes
            // back in line at once, preferring another node, and charges no attempt and no node loss.
            replace(task.evicted(report, epoch));
            return ReportOutcome.APPLIED;
        }
        if (report.outcome() == TaskState.CANCELLED && !jobs.get(task.jobId()).cancelRequested()) {
            // Killed without a cancel of its job (the agent is shutting down): not the task's fault.
            replace(task.attemptLost("attempt stopped on " + report.node() + ": " + report.reason(), false,
                    report.finishedAt(), epoch));
            return ReportOutcome.APPLIED;
        }
        TaskRecord ended = task.attemptEnded(report, epoch);
        replace(ended);
        if (ended.state() == TaskState.QUEUED) {
            coolDown(ended, now);
        }
        return ReportOutcome.APPLIED;
    }

    private void coolDown(TaskRecord task, long now) {
        long delay = backoff.delayMillis(task.attempt());
        if (delay <= 0) {
            return;
        }
        long until = now + delay;
        dequeue(task);
        cooling.computeIfAbsent(until, t -> new ArrayList<>()).add(task.taskId());
        tasks.put(task.taskId(), task.withPendingReason(task.reason() + " after a backoff of " + delay + " ms (until "
                + Instant.ofEpochMilli(until) + ")", epoch));
    }

    /**
     * The attempt could not reach its node or the node left: requeue it (not the task's fault).
     */
    public void attemptLost(String taskId, String attemptId, String why, long now) {
        TaskRecord task = tasks.get(taskId);
        if (task != null && task.state().isOnNode() && task.attemptId().equals(attemptId)) {
            replace(lose(task, why, now));
        }
    }

    /**
     * Requeued without charge, unless the task lost its node too often already. Only a loss while it ran counts
     * toward LOST: a dispatch that never reached a node says nothing about the task.
     */
    private TaskRecord lose(TaskRecord task, String why, long now) {
        if (task.state() == TaskState.RUNNING && task.losses() + 1 >= MAX_NODE_LOSSES) {
            return task.lostForGood(why + "; the task lost its node " + (task.losses() + 1) + " times, giving up",
                    now, epoch);
        }
        return task.attemptLost(why, false, now, epoch);
    }

    /** Every attempt on a node that left goes back to the queue. */
    public List<String> nodeLost(String node, long now) {
        List<String> requeued = new ArrayList<>();
        for (String taskId : List.copyOf(tasksByNode.getOrDefault(node, Set.of()))) {
            TaskRecord task = tasks.get(taskId);
            replace(lose(task, "node " + node + " left the mesh", now));
            requeued.add(taskId);
        }
        return requeued;
    }

    /**
     * A node came back after a restart of every coordinator and said which attempts it still holds: its attempts
     * among those stay attached (their reports will apply), every other attempt on it goes back to the queue
     * without charge. Returns the ids of the requeued tasks.
     */
    public List<String> reattach(String node, Set<String> heldAttemptIds, long now) {
        List<String> requeued = new ArrayList<>();
        for (String taskId : List.copyOf(tasksByNode.getOrDefault(node, Set.of()))) {
            TaskRecord task = tasks.get(taskId);
            if (!heldAttemptIds.contains(task.attemptId())) {
                replace(task.attemptLost("attempt no longer on " + node + " after the coordinators restarted", false,
                        now, epoch));
                requeued.add(taskId);
            }
        }
        return requeued;
    }

    /** Cancels every unfinished task of a job; returns the attempts to kill on nodes. */
    public List<Kill> cancelJob(String jobId, long now) {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            return List.of();
        }
        if (!job.cancelRequested()) {
            jobs.put(jobId, job.withCancelRequested());
        }
        List<Kill> kills = new ArrayList<>();
        for (TaskRecord task : List.copyOf(tasks.values())) {
            if (task.jobId().equals(jobId)) {
                if (task.state().isOnNode()) {
                    kills.add(new Kill(task.node(), task.attemptId()));
                }
                replace(task.cancelled(now, epoch));
            }
        }
        changedJobs.add(jobId);
        return kills;
    }

    /** Everything changed since the last call, with job counts and timestamps brought up to date. */
    public Changes drainChanges(long now) {
        List<TaskRecord> outTasks = new ArrayList<>(changedTasks.size());
        for (String id : changedTasks) {
            outTasks.add(task(id));
        }
        List<JobRecord> outJobs = new ArrayList<>(changedJobs.size());
        for (String id : changedJobs) {
            JobRecord job = jobs.get(id);
            JobRecord updated = job.withCounts(job.counts(), now, epoch);
            if (updated.counts().toProgress().isDone()) {
                jobs.remove(id);
            } else {
                jobs.put(id, updated);
            }
            outJobs.add(updated);
        }
        changedTasks.clear();
        changedJobs.clear();
        finished.clear();
        return new Changes(outTasks, outJobs);
    }

    /** Unfinished jobs the leader holds. */
    int jobCount() {
        return jobs.size();
    }

    /** Unfinished tasks the leader holds. */
    public int taskCount() {
        return tasks.size();
    }

    /** Attempts to kill that this state decided on by itself (a job stopped for too many failed tasks). */
    public List<Kill> drainKills() {
        List<Kill> kills = List.copyOf(pendingKills);
        pendingKills.clear();
        return kills;
    }

    /**
     * A task of the job ended failed: once more of its tasks failed than its spec's {@code maxFailedTasks}, every
     * other unfinished task is cancelled (running ones killed) and the job ends FAILED.
     */
    private void afterTaskFailed(TaskRecord failed) {
        JobRecord job = jobs.get(failed.jobId());
        int limit = failureLimits.computeIfAbsent(job.jobId(), id -> failureLimitOf(job));
        StateCounts counts = job.counts();
        int failedTasks = counts.failed() + counts.timedOut() + counts.lost();
        if (limit < 0 || job.cancelRequested() || failedTasks <= limit) {
            return;
        }
        String why = "job stopped: " + failedTasks + " tasks failed, more than its maxFailedTasks of " + limit;
        for (TaskRecord task : List.copyOf(tasks.values())) {
            if (task.jobId().equals(job.jobId())) {
                if (task.state().isOnNode()) {
                    pendingKills.add(new Kill(task.node(), task.attemptId()));
                }
                replace(task.cancelled(why, failed.finishedAt(), epoch));
            }
        }
    }

    private static int failureLimitOf(JobRecord job) {
        try {
            Integer limit = JobSpec.parse(job.specJson()).maxFailedTasks();
            return limit == null ? -1 : limit;
        } catch (RuntimeException unreadable) {
            return -1; // a job whose spec cannot be read is rejected elsewhere; no limit here
        }
    }

    private void replace(TaskRecord next) {
        TaskRecord previous = tasks.get(next.taskId());
        if (previous.state() != next.state()) {
            JobRecord job = jobs.get(next.jobId());
            StateCounts counts = job.counts().moved(previous.state(), next.state());
            jobs.put(job.jobId(), new JobRecord(job.jobId(), job.name(), job.specJson(), job.taskCount(),
                    job.priority(), job.submittedAt(), job.startedAt(), job.finishedAt(), job.cancelRequested(),
                    job.tasksCreated(), counts, job.writerEpoch()));
            changedJobs.add(job.jobId());
        }
        if (previous.state().isOnNode() && !previous.node().equals(next.node()) || !next.state().isOnNode()) {
            Set<String> onNode = tasksByNode.get(previous.node());
            if (onNode != null) {
                onNode.remove(next.taskId());
                if (onNode.isEmpty()) {
                    tasksByNode.remove(previous.node());
                }
            }
        }
        if (next.state().isOnNode()) {
            tasksByNode.computeIfAbsent(next.node(), n -> new HashSet<>()).add(next.taskId());
        }
        if (previous.state() == TaskState.QUEUED && next.state() != TaskState.QUEUED) {
            dequeue(previous);
        } else if (previous.state() != TaskState.QUEUED && next.state() == TaskState.QUEUED) {
            enqueue(next);
        }
        if (next.state().isTerminal()) {
            tasks.remove(next.taskId());
            finished.put(next.taskId(), next);
        } else {
            tasks.put(next.taskId(), next);
        }
        changedTasks.add(next.taskId());
        if (previous.state() != next.state() && FAILURES.contains(next.state())) {
            afterTaskFailed(next);
        }
    }
}
