package org.planetarymesh.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns submitted jobs into tasks: a job whose submission wake-up arrived, and any stored job without tasks
 * that the leader does not hold (its wake-up was lost). A cancellation that arrives before a job's tasks
 * exist finds nothing to cancel, so a job already flagged {@code cancelRequested} is cancelled as soon as
 * its tasks are created.
 */
final class SubmissionIntake {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);

    private final SchedulerStore store;
    private final JobExpansion expansion;
    private final SchedulingState state;

    SubmissionIntake(SchedulerStore store, JobExpansion expansion, SchedulingState state) {
        this.store = store;
        this.expansion = expansion;
        this.state = state;
    }

    /** A submission wake-up for {@code jobId}; returns the attempts to kill. */
    List<SchedulingState.Kill> submitted(String jobId, long now) {
        if (state.knowsJob(jobId)) {
            return List.of();
        }
        JobRecord job = store.job(jobId);
        if (job == null) {
            LOG.warn("submission of unknown job ignored job={}", jobId);
            return List.of();
        }
        return job.tasksCreated() ? List.of() : adopt(job, now);
    }

    /** Adopts every stored job without tasks that the leader does not hold; returns the attempts to kill. */
    List<SchedulingState.Kill> adoptOrphans(long now) {
        List<SchedulingState.Kill> kills = new ArrayList<>();
        for (JobRecord job : store.jobsWithoutTasks()) {
            if (!state.knowsJob(job.jobId())) {
                LOG.info("job found without its submission wake-up job={}", job.jobId());
                kills.addAll(adopt(job, now));
            }
        }
        return kills;
    }

    private List<SchedulingState.Kill> adopt(JobRecord job, long now) {
        if (expansion.expand(job, state, now) && job.cancelRequested()) {
            return state.cancelJob(job.jobId(), now);
        }
        return List.of();
    }
}
