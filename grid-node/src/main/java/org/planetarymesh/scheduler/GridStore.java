package org.planetarymesh.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.SweepExpander;
import org.planetarymesh.jobs.TaskDefinition;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scheduler's reads and fenced writes of jobs and tasks, for one leadership term. */
final class GridStore {
    private static final Logger LOG = LoggerFactory.getLogger(GridStore.class);
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    private static final String[] UNFINISHED = {TaskState.QUEUED.name(), TaskState.ASSIGNED.name(),
        TaskState.RUNNING.name()};

    private final long epoch;
    private final IMap<String, JobRecord> jobs;
    private final IMap<String, TaskRecord> tasks;
    private final Map<String, Map<String, String>> filesByJob = new HashMap<>();

    GridStore(HazelcastInstance hz, long epoch) {
        this.epoch = epoch;
        this.jobs = hz.getMap(MeshObjects.JOBS);
        this.tasks = hz.getMap(MeshObjects.TASKS);
    }

    JobRecord job(String jobId) {
        return jobs.get(jobId);
    }

    Collection<JobRecord> unfinishedJobs() {
        return jobs.values(Predicates.equal("finishedAt", 0L));
    }

    Collection<JobRecord> jobsWithoutTasks() {
        return jobs.values(Predicates.equal("tasksCreated", false));
    }

    Collection<TaskRecord> unfinishedTasks(String jobId) {
        return tasks.values(Predicates.and(Predicates.equal("jobId", jobId), Predicates.in("state", UNFINISHED)));
    }

    /** Counts the job's tasks per state from the map itself (the job's stored counts may lag a crash). */
    StateCounts countStates(String jobId) {
        StateCounts counts = StateCounts.none();
        for (Object state : tasks.project(Projections.singleAttribute("state"), Predicates.equal("jobId", jobId))) {
            counts = counts.plus(TaskState.valueOf(String.valueOf(state)), 1);
        }
        return counts;
    }

    /**
     * Expands an accepted job into queued tasks and hands them to the state to be written. A job whose
     * stored spec this coordinator cannot read (say, written by a newer client) is failed as a whole
     * instead of being retried forever; returns false then.
     */
    boolean createTasks(JobRecord job, SchedulingState state, long now) {
        JobSpec spec;
        try {
            spec = spec(job);
        } catch (RuntimeException e) {
            LOG.error("job rejected: its stored spec cannot be read job={} name={} reason={}", job.jobId(),
                    job.name(), e.getMessage());
            state.rejectJob(job.withTasksCreated(epoch), now);
            return false;
        }
        List<TaskDefinition> definitions = SweepExpander.expand(spec);
        List<TaskRecord> created = new ArrayList<>(definitions.size());
        for (TaskDefinition definition : definitions) {
            created.add(TaskRecord.queued(job.jobId(), definition, job.priority(), spec.timeout().toMillis(),
                    spec.maxAttempts(), List.copyOf(spec.labels()), now, epoch));
        }
        state.adoptJob(job.withTasksCreated(epoch), created);
        LOG.info("job tasks created job={} name={} tasks={}", job.jobId(), job.name(), created.size());
        return true;
    }

    /** The inline files of a job's spec, read once per term. */
    Map<String, String> files(String jobId) {
        return filesByJob.computeIfAbsent(jobId, id -> {
            JobRecord job = jobs.get(id);
            return job == null ? Map.of() : spec(job).files();
        });
    }

    private JobSpec spec(JobRecord job) {
        JobSpec spec = JobSpec.parse(job.specJson());
        filesByJob.putIfAbsent(job.jobId(), spec.files());
        return spec;
    }

    /** Writes the changes, fenced; false when a newer leader's epoch refused any of them. */
    boolean write(SchedulingState.Changes changes) {
        List<CompletableFuture<Long>> writes = new ArrayList<>(changes.tasks().size() + changes.jobs().size());
        for (TaskRecord task : changes.tasks()) {
            writes.add(tasks.submitToKey(task.taskId(), new FencedWrites.PutTask(epoch, task)).toCompletableFuture());
        }
        for (JobRecord job : changes.jobs()) {
            writes.add(jobs.submitToKey(job.jobId(), new FencedWrites.UpdateJob(epoch, job.counts(),
                    job.startedAt(), job.finishedAt(), job.tasksCreated())).toCompletableFuture());
            if (job.finishedAt() != 0) {
                filesByJob.remove(job.jobId());
                LOG.info("job finished job={} name={} state={} succeeded={} failed={} timedOut={} cancelled={}",
                        job.jobId(), job.name(), job.state(), job.counts().succeeded(), job.counts().failed(),
                        job.counts().timedOut(), job.counts().cancelled());
            }
        }
        boolean fenced = false;
        for (CompletableFuture<Long> write : writes) {
            try {
                fenced |= write.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS) != FencedWrites.WRITTEN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MeshException("interrupted while writing scheduler decisions", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new MeshException("cannot write scheduler decisions: " + e.getMessage(), e);
            }
        }
        return !fenced;
    }
}
