package org.planetarymesh.jobs;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Sets a job's cancel flag on its partition, leaving what the scheduler wrote untouched. A finished job
 * keeps its outcome: cancelling it changes nothing. Returns false only when there is no such job.
 */
public record RequestCancel() implements EntryProcessor<String, JobRecord, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, JobRecord> entry) {
        JobRecord job = entry.getValue();
        if (job == null) {
            return false;
        }
        if (!job.cancelRequested() && job.finishedAt() == 0) {
            entry.setValue(job.withCancelRequested());
        }
        return true;
    }
}
