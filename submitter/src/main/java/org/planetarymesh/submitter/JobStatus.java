package org.planetarymesh.submitter;

import java.time.Instant;
import java.util.Optional;

/**
 * A job as the mesh sees it now.
 *
 * @param startedAt  when its first task was placed, if any was
 * @param finishedAt when its last task reached a terminal state, if all have
 */
public record JobStatus(String jobId, String name, JobState state, Progress progress, int priority,
                        Instant submittedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt) {
}
