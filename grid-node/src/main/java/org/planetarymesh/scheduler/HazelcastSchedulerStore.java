package org.planetarymesh.scheduler;

import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.TaskState;

/**
 * The {@link SchedulerStore} on the mesh's maps: queries with predicates and projections on
 * {@code mesh.jobs} and {@code mesh.tasks}, writes through the {@link FencedWrites} entry processors.
 */
final class HazelcastSchedulerStore implements SchedulerStore {
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    // Compact stores the enum as its constant name, so the queries compare the state with strings.
    private static final String[] UNFINISHED = {TaskState.QUEUED.name(), TaskState.ASSIGNED.name(),
        TaskState.RUNNING.name()};

    private final IMap<String, JobRecord> jobs;
    private final IMap<String, TaskRecord> tasks;
    private final boolean tasksWrittenBehind;

    HazelcastSchedulerStore(HazelcastInstance hz) {
        this.jobs = hz.getMap(MeshObjects.JOBS);
        this.tasks = hz.getMap(MeshObjects.TASKS);
        MapStoreConfig taskStore = hz.getConfig().findMapConfig(MeshObjects.TASKS).getMapStoreConfig();
        this.tasksWrittenBehind = taskStore.isEnabled() && taskStore.getWriteDelaySeconds() > 0;
    }

    @Override
    public JobRecord job(String jobId) {
        return jobs.get(jobId);
    }

    @Override
    public Collection<JobRecord> unfinishedJobs() {
        return jobs.values(Predicates.equal("finishedAt", 0L));
    }

    @Override
    public Collection<JobRecord> jobsWithoutTasks() {
        return jobs.values(Predicates.equal("tasksCreated", false));
    }

    @Override
    public Collection<TaskRecord> unfinishedTasks(String jobId) {
        return tasks.values(Predicates.and(Predicates.equal("jobId", jobId), Predicates.in("state", UNFINISHED)));
    }

    @Override
    public Set<Integer> taskIndexes(String jobId) {
        Set<Integer> indexes = new HashSet<>();
        for (Object index : tasks.project(Projections.singleAttribute("index"), Predicates.equal("jobId", jobId))) {
            indexes.add(((Number) index).intValue());
        }
        return indexes;
    }

    @Override
    public StateCounts countStates(String jobId) {
        StateCounts counts = StateCounts.none();
        for (Object state : tasks.project(Projections.singleAttribute("state"), Predicates.equal("jobId", jobId))) {
            counts = counts.plus(TaskState.valueOf(String.valueOf(state)), 1);
        }
        return counts;
    }

    @Override
    public boolean write(SchedulingState.Changes changes, long epoch) {
        List<CompletableFuture<Long>> writes = new ArrayList<>(changes.tasks().size() + changes.jobs().size());
        for (TaskRecord task : changes.tasks()) {
            writes.add(tasks.submitToKey(task.taskId(), new FencedWrites.PutTask(epoch, task)).toCompletableFuture());
        }
        boolean fenced = false;
        if (tasksWrittenBehind && changes.jobs().stream().anyMatch(job -> job.finishedAt() != 0)) {
            // Jobs are written through, tasks behind (docs/adr/0017). A finished job must not reach the database
            // before its tasks' outcomes do, or a restart could show it finished with tasks that never end.
            fenced = await(writes);
            writes.clear();
            tasks.flush();
        }
        for (JobRecord job : changes.jobs()) {
            writes.add(jobs.submitToKey(job.jobId(), new FencedWrites.UpdateJob(epoch, job.counts(),
                    job.startedAt(), job.finishedAt(), job.tasksCreated())).toCompletableFuture());
        }
        fenced |= await(writes);
        return !fenced;
    }

    /** Waits for every write; true if any was refused by a higher epoch. */
    private static boolean await(List<CompletableFuture<Long>> writes) {
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
        return fenced;
    }
}
