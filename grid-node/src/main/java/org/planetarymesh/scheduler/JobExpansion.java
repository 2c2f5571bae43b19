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
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the specs of stored jobs, for one leadership term: expands an accepted job into its queued tasks, and
 * gives the {@link Terms} of a job's tasks to placement and dispatch (each spec is parsed once per term).
 */
final class JobExpansion {
    private static final Logger LOG = LoggerFactory.getLogger(JobExpansion.class);

    /**
     * What every task of a job gets and needs: its inline files, what it may use, whether it may use the network,
     * and the protections a node must give it.
     */
    record Terms(Map<String, String> files, Resources resources, NetworkAccess network,
                 Set<Protection> requiredProtections) {
        static Terms of(JobSpec spec) {
            return new Terms(spec.files(), spec.resources(), spec.network(), spec.requiredProtections());
        }

        /**
         * For tasks whose spec this coordinator cannot read (expanded by one that could): no files, default
         * resources and no network. Cut off rather than allowed, since the spec may have said none; a node that
         * cannot cut the network refuses the task, which then fails visibly instead of running unprotected.
         */
        static final Terms UNREADABLE = new Terms(Map.of(), Resources.DEFAULT, NetworkAccess.NONE, Set.of());
    }

    private final SchedulerStore store;
    private final Map<String, Terms> termsByJob = new HashMap<>();

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

    /** The terms of a job's tasks, read once per term; {@link Terms#UNREADABLE} for a job that is not stored. */
    Terms terms(String jobId) {
        Terms terms = termsByJob.get(jobId);
        if (terms != null) {
            return terms;
        }
        // Not computeIfAbsent: spec() adds to the map, which HashMap refuses from inside a mapping function.
        JobRecord job = store.job(jobId);
        if (job == null) {
            return Terms.UNREADABLE;
        }
        try {
            return Terms.of(spec(job));
        } catch (RuntimeException e) {
            // Expanded by a coordinator that could read the spec, adopted by one that cannot: its tasks run
            // without their inline files (and fail with their own error) rather than stopping all dispatch.
            LOG.error("spec of job cannot be read, its tasks get no files and no network job={} reason={}", jobId,
                    e.getMessage());
            termsByJob.put(jobId, Terms.UNREADABLE);
            return Terms.UNREADABLE;
        }
    }

    /** Drops what is kept of a finished job. */
    void forget(String jobId) {
        termsByJob.remove(jobId);
    }

    private JobSpec spec(JobRecord job) {
        JobSpec spec = JobSpec.parse(job.specJson());
        termsByJob.putIfAbsent(job.jobId(), Terms.of(spec));
        return spec;
    }
}
