package org.planetarymesh.scheduler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new leader does before its first round: adopt every unfinished job from the store, finish the
 * creation of tasks a previous leader started, recount progress from the tasks themselves, requeue
 * attempts on agents that are gone, and carry out pending cancellations.
 */
final class TakeOver {
    private static final Logger LOG = LoggerFactory.getLogger(TakeOver.class);

    private final SchedulerStore store;
    private final JobExpansion expansion;
    private final SchedulingState state;
    private final Clock clock;
    private final Set<String> rejoining = new TreeSet<>();

    TakeOver(SchedulerStore store, JobExpansion expansion, SchedulingState state, Clock clock) {
        this.store = store;
        this.expansion = expansion;
        this.state = state;
        this.clock = clock;
    }

    /** As {@link #run(Set, Set)} with no node that may rejoin. */
    List<SchedulingState.Kill> run(Set<String> liveAgents) {
        return run(liveAgents, Set.of());
    }

    /**
     * Returns the attempts to kill for jobs cancelled while no leader acted on it. Attempts on nodes that are not
     * live are requeued, except on the nodes of {@code mayRejoin} (agents the registry still showed online although
     * their member is gone, as after a restart of every coordinator): those are left on their node, named by
     * {@link #rejoining()}, for the leader to reattach or requeue when the node is back or its grace is over.
     */
    List<SchedulingState.Kill> run(Set<String> liveAgents, Set<String> mayRejoin) {
        long now = clock.millis();
        List<SchedulingState.Kill> kills = new ArrayList<>();
        int adopted = 0;
        for (JobRecord job : store.unfinishedJobs()) {
            if (!job.tasksCreated()) {
                // Nothing of a job without its tasks-created mark was dispatched: recreate all tasks.
                if (!expansion.expand(job, state, now)) {
                    continue;
                }
            } else {
                StateCounts counts = store.countStates(job.jobId());
                List<TaskRecord> unfinished = new ArrayList<>(store.unfinishedTasks(job.jobId()));
                if (counts.total() < job.taskCount()) {
                    // Restored from the database: the job was written through, some of its tasks not yet behind.
                    List<TaskRecord> missing = expansion.missingTasks(job, store.taskIndexes(job.jobId()), now,
                            state.epoch());
                    LOG.warn("job restored without some of its tasks, created again job={} stored={} missing={}",
                            job.jobId(), counts.total(), missing.size());
                    unfinished.addAll(missing);
                    counts = counts.plus(TaskState.QUEUED, missing.size());
                }
                state.adoptJob(job.withCounts(counts, now, state.epoch()), unfinished);
            }
            if (job.cancelRequested()) {
                kills.addAll(state.cancelJob(job.jobId(), now));
            }
            adopted++;
        }
        int requeued = 0;
        int waiting = 0;
        for (String node : state.nodesWithTasks()) {
            if (liveAgents.contains(node)) {
                continue;
            }
            if (mayRejoin.contains(node)) {
                rejoining.add(node);
                waiting += state.runningOn(node);
            } else {
                requeued += state.nodeLost(node, now).size();
            }
        }
        LOG.info("leader takeover epoch={} unfinishedJobs={} unfinishedTasks={} requeuedFromGoneNodes={}"
                + " awaitingRejoin={} onNodes={}", state.epoch(), adopted, state.taskCount(), requeued, waiting,
                rejoining);
        return kills;
    }

    /** The nodes whose attempts {@link #run} left attached for them to rejoin. */
    Set<String> rejoining() {
        return Set.copyOf(rejoining);
    }
}
