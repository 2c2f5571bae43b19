package org.planetarymesh.submitter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The aggregate of a job: its status, every task in sweep order, where they ran and how long it took.
 *
 * @param tasks        every task, in sweep order
 * @param tasksPerNode how many tasks finished on each node (by the node of their latest attempt)
 * @param wallTime     from submission to the last task's end (or to now while the job runs)
 */
public record JobResults(JobStatus status, List<TaskView> tasks, Map<String, Integer> tasksPerNode,
                         Duration wallTime) {

    /** The standard output of each task, in sweep order. */
    public List<String> outputs() {
        return tasks.stream().map(TaskView::stdout).toList();
    }
}
