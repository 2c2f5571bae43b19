package org.planetarymesh.scheduler;

import java.util.Collection;
import java.util.Set;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;

/**
 * What the leader reads and writes of jobs and tasks. Clients store accepted jobs and their cancel flag;
 * from then on the leader is the only writer, and every write it makes is fenced by its epoch: a record
 * last written by a higher epoch refuses it (docs/adr/0004, 0009).
 *
 * <p>{@link HazelcastSchedulerStore} keeps them in the mesh's maps; {@code SchedulerStoreContract} is the
 * test every implementation passes.
 */
interface SchedulerStore {

    /** The stored job, or null when there is none with this id. */
    JobRecord job(String jobId);

    /** Every job not finished yet ({@code finishedAt == 0}), whether its tasks exist or not. */
    Collection<JobRecord> unfinishedJobs();

    /** Every job whose tasks the leader has not created yet ({@code tasksCreated == false}). */
    Collection<JobRecord> jobsWithoutTasks();

    /** The job's tasks that are QUEUED, ASSIGNED or RUNNING. */
    Collection<TaskRecord> unfinishedTasks(String jobId);

    /**
     * The indexes of the job's stored tasks. After a restart from the database fewer may be stored than the job
     * has: tasks are written behind, the job through (docs/adr/0017).
     */
    Set<Integer> taskIndexes(String jobId);

    /** Counts the job's stored tasks per state (the job's stored counts may lag a crash of the leader). */
    StateCounts countStates(String jobId);

    /**
     * Writes the changes fenced by {@code epoch}: each task is stored as given, each job gets the leader's
     * counts, {@code startedAt}, {@code finishedAt} and {@code tasksCreated} while what clients write (the
     * cancel request) stays as stored; a job that is not stored is not created. A record last written by a
     * higher epoch is left as it is; the other writes still happen.
     *
     * @return true when every write was accepted, false when a higher epoch refused any (a newer leader exists)
     */
    boolean write(SchedulingState.Changes changes, long epoch);
}
