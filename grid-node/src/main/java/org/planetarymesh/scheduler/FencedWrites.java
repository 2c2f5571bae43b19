package org.planetarymesh.scheduler;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.StateCounts;
import org.planetarymesh.jobs.TaskRecord;

/**
 * The entry processors through which the scheduler writes. Each carries the leader's epoch and refuses
 * to write over a record last written by a higher epoch; the result is 0 when written, otherwise the
 * higher epoch found (the caller has been deposed).
 */
public final class FencedWrites {
    static final long WRITTEN = 0L;

    private FencedWrites() {
    }

    /** Stores the scheduler's new version of a task. */
    public record PutTask(long epoch, TaskRecord next) implements EntryProcessor<String, TaskRecord, Long> {
        @Override
        public Long process(Map.Entry<String, TaskRecord> entry) {
            TaskRecord current = entry.getValue();
            if (current != null && current.writerEpoch() > epoch) {
                return current.writerEpoch();
            }
            entry.setValue(next);
            return WRITTEN;
        }
    }

    /**
     * Stores the scheduler's view of a job's progress, keeping what clients write to the job
     * (the cancel request) as it is in the map.
     */
    public record UpdateJob(long epoch, StateCounts counts, long startedAt, long finishedAt, boolean tasksCreated)
            implements EntryProcessor<String, JobRecord, Long> {
        @Override
        public Long process(Map.Entry<String, JobRecord> entry) {
            JobRecord current = entry.getValue();
            if (current == null) {
                return WRITTEN;
            }
            if (current.writerEpoch() > epoch) {
                return current.writerEpoch();
            }
            entry.setValue(new JobRecord(current.jobId(), current.name(), current.specJson(), current.taskCount(),
                    current.priority(), current.submittedAt(), startedAt, finishedAt, current.cancelRequested(),
                    tasksCreated, counts, epoch));
            return WRITTEN;
        }
    }
}
