package org.planetarymesh.submitter;

import java.time.Duration;
import java.util.List;

/** A submitted job. Every method reads the mesh afresh; a handle holds no state but the id. */
public interface JobHandle {

    /** The job's id, e.g. {@code j-mwxh1jsh-tepf} (time-ordered, then random). */
    String id();

    /** The job's state and progress now. */
    JobStatus status();

    /**
     * Waits until the job reaches a terminal state or {@code timeout} passes.
     *
     * @return the final status
     * @throws MeshException if the timeout passes first (the job keeps running)
     */
    JobStatus await(Duration timeout);

    /** Every task of the job in sweep order. */
    List<TaskView> tasks();

    /** The job's aggregate: status, task outcomes in sweep order, tasks per node, wall time. */
    JobResults results();

    /** Asks the mesh to cancel every task not yet finished; running processes are killed. */
    void cancel();
}
