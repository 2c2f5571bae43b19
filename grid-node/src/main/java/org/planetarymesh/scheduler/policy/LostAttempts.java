package org.planetarymesh.scheduler.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.jobs.TaskRecord;

/**
 * Finds attempts the leader believes are on a node but the node does not run: a dispatch that never arrived,
 * or a final report that died with the leader that drained it. An attempt is lost when the node's heartbeats
 * have not listed it for {@code graceMillis}: counted from its assignment, from the last heartbeat that listed
 * it, and never from before this leader's term (a new leader first hears what the nodes run). A finished
 * attempt's report reaches the leader in milliseconds, long before the grace ends. Times are the leader's clock.
 */
public final class LostAttempts {
    private final long graceMillis;
    private final long termStart;
    private final Map<String, Long> listedAt = new HashMap<>();

    public LostAttempts(long graceMillis, long termStart) {
        this.graceMillis = graceMillis;
        this.termStart = termStart;
    }

    /** A heartbeat heard at {@code heardAt} listed these attempts as running. */
    public void listed(Collection<String> attemptIds, long heardAt) {
        for (String id : attemptIds) {
            listedAt.put(id, heardAt);
        }
    }

    /**
     * The attempts among {@code onNode} (the leader's ASSIGNED and RUNNING tasks of one node) that the node's
     * heartbeats, the last heard at {@code heardAt}, have not listed for the grace period.
     */
    public List<TaskRecord> lost(Collection<TaskRecord> onNode, long heardAt) {
        List<TaskRecord> lost = new ArrayList<>();
        for (TaskRecord task : onNode) {
            long since = Math.max(termStart, Math.max(task.assignedAt(), listedAt.getOrDefault(task.attemptId(), 0L)));
            if (heardAt - since > graceMillis) {
                lost.add(task);
            }
        }
        return lost;
    }

    /** Drops what is known of attempts listed before {@code before}: they ended or were reaped. */
    public void forgetListedBefore(long before) {
        listedAt.values().removeIf(at -> at < before);
    }
}
