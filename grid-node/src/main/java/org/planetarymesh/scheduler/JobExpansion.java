package org.planetarymesh.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.SweepExpander;
import org.planetarymesh.jobs.TaskDefinition;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the specs of stored jobs, for one leadership term: expands an accepted job into its queued tasks,
 * and gives the inline files of a job's spec to the dispatcher (each spec is parsed once per term).
 */
final class JobExpansion {
    private static final Logger LOG = LoggerFactory.getLogger(JobExpansion.class);

    private final SchedulerStore store;
    private final Map<String, Map<String, String>> filesByJob = new HashMap<>();

    JobExpansion(SchedulerStore store) {
        this.store = store;
    }

    /**
     * Expands an accepted job into queued tasks and hands them to the state to be written. A job whose
     * stored spec this coordinator cannot read (say, written by a newer client) is failed as a whole
     * instead of being retried forever; returns false then.
     */
    boolean expand(JobRecord job, SchedulingState state, long now) {
        long epoch = state.epoch();
        JobSpec spec;
        try {
            spec = spec(job);
        } catch (RuntimeException e) {
            LOG.error("job rejected: its stored spec cannot be read job={} name={} reason={}", job.jobId(),
                    job.name(), e.getMessage());
            state.rejectJob(job.withTasksCreated(epoch), now);
            return false;
        }
        List<TaskRecord> created = queuedTasks(job, spec, Set.of(), now, epoch);
        state.adoptJob(job.withTasksCreated(epoch), created);
        LOG.info("job tasks created job={} name={} tasks={}", job.jobId(), job.name(), created.size());
        return true;
    }

    /**
     * The queued tasks of a job whose index is not in {@code existing}: the tasks a database restore lacks when the
     * job was stored with {@code tasksCreated} but some of its tasks were still waiting to be written behind. None
     * when the spec cannot be read (logged).
     */
    List<TaskRecord> missingTasks(JobRecord job, Set<Integer> existing, long now, long epoch) {
        try {
            return queuedTasks(job, spec(job), existing, now, epoch);
        } catch (RuntimeException e) {
            LOG.error("missing tasks of job cannot be created: its stored spec cannot be read job={} reason={}",
                    job.jobId(), e.getMessage());
            return List.of();
        }
    }

    private static List<TaskRecord> queuedTasks(JobRecord job, JobSpec spec, Set<Integer> existing, long now,
                                                long epoch) {
        List<TaskDefinition> definitions = SweepExpander.expand(spec);
        List<TaskRecord> created = new ArrayList<>(definitions.size());
        for (TaskDefinition definition : definitions) {
            if (!existing.contains(definition.index())) {
                created.add(TaskRecord.queued(job.jobId(), definition, job.priority(), spec.timeout().toMillis(),
                        spec.maxAttempts(), List.copyOf(spec.labels()), now, epoch));
            }
        }
        return created;
    }

    /** The inline files of a job's spec, read once per term; none for a job that is not stored. */
    Map<String, String> files(String jobId) {
        Map<String, String> files = filesByJob.get(jobId);
        if (files != null) {
            return files;
        }
        // Not computeIfAbsent: spec() adds to the map, which HashMap refuses from inside a mapping function.
        JobRecord job = store.job(jobId);
        if (job == null) {
            return Map.of();
        }
        try {
            return spec(job).files();
        } catch (RuntimeException e) {
            // Expanded by a coordinator that could read the spec, adopted by one that cannot: its tasks run
            // without their inline files (and fail with their own error) rather than stopping all dispatch.
            LOG.error("inline files of job cannot be read job={} reason={}", jobId, e.getMessage());
            filesByJob.put(jobId, Map.of());
            return Map.of();
        }
    }

    /** Drops what is kept of a finished job. */
    void forget(String jobId) {
        filesByJob.remove(jobId);
    }

    private JobSpec spec(JobRecord job) {
        JobSpec spec = JobSpec.parse(job.specJson());
        filesByJob.putIfAbsent(job.jobId(), spec.files());
        return spec;
    }
}
