package org.planetarymesh.jobs;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Sets a job's cancel flag on its partition, leaving what the scheduler wrote untouched. */
public record RequestCancel() implements EntryProcessor<String, JobRecord, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, JobRecord> entry) {
        JobRecord job = entry.getValue();
        if (job == null) {
            return false;
        }
        if (!job.cancelRequested()) {
            entry.setValue(job.withCancelRequested());
        }
        return true;
    }
}
