package org.planetarymesh.submitter.internal;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.RequestCancel;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobResults;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshException;
import org.planetarymesh.submitter.TaskView;

final class HazelcastJobHandle implements JobHandle {
    private final String jobId;
    private final IMap<String, JobRecord> jobs;
    private final IMap<String, TaskRecord> tasks;
    private final IQueue<String> cancellations;
    private final Clock clock;

    HazelcastJobHandle(String jobId, IMap<String, JobRecord> jobs, IMap<String, TaskRecord> tasks,
                       IQueue<String> cancellations, Clock clock) {
        this.jobId = jobId;
        this.jobs = jobs;
        this.tasks = tasks;
        this.cancellations = cancellations;
        this.clock = clock;
    }

    @Override
    public String id() {
        return jobId;
    }

    @Override
    public JobStatus status() {
        return Views.status(record());
    }

    private JobRecord record() {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            throw new MeshException("unknown job '" + jobId + "'");
        }
        return job;
    }

    @Override
    public JobStatus await(Duration timeout) {
        CountDownLatch done = new CountDownLatch(1);
        UUID listener = jobs.addEntryListener((EntryUpdatedListener<String, JobRecord>) (EntryEvent<String, JobRecord> e) -> {
            if (e.getValue() != null && e.getValue().state().isTerminal()) {
                done.countDown();
            }
        }, jobId, true);
        try {
            JobStatus status = status();
            if (status.state().isTerminal()) {
                return status;
            }
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                JobStatus now = status();
                if (now.state().isTerminal()) {
                    return now;
                }
                throw new MeshException("job " + jobId + " not finished after " + timeout + " (" + now.state() + " "
                        + now.progress().finished() + "/" + now.progress().total() + " done)");
            }
            return status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while waiting for job " + jobId, e);
        } finally {
            jobs.removeEntryListener(listener);
        }
    }

    @Override
    public List<TaskView> tasks() {
        JobRecord job = record();
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < job.taskCount(); i++) {
            keys.add(TaskRecord.taskId(jobId, i));
        }
        List<TaskView> views = new ArrayList<>(keys.size());
        for (TaskRecord task : tasks.getAll(keys).values()) {
            views.add(Views.task(task));
        }
        views.sort(Comparator.comparingInt(TaskView::index));
        return views;
    }

    @Override
    public JobResults results() {
        JobRecord job = record();
        List<TaskView> all = tasks();
        Map<String, Integer> perNode = new LinkedHashMap<>();
        all.stream().filter(t -> t.state().isTerminal()).forEach(t -> t.node().ifPresent(n -> perNode.merge(n, 1, Integer::sum)));
        long end = job.finishedAt() != 0 ? job.finishedAt() : clock.millis();
        return new JobResults(Views.status(job), all, perNode, Duration.ofMillis(end - job.submittedAt()));
    }

    @Override
    public void cancel() {
        if (!Boolean.TRUE.equals(jobs.executeOnKey(jobId, new RequestCancel()))) {
            throw new MeshException("unknown job '" + jobId + "'");
        }
        cancellations.offer(jobId);
    }
}
