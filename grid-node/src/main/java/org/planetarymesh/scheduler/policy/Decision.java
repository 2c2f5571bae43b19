package org.planetarymesh.scheduler.policy;

import java.util.Objects;

/** What the {@link PlacementPolicy} decided for one task in one round. */
public sealed interface Decision permits Decision.Placed, Decision.Unplaced {

    String taskId();

    /** Run the task on {@code node}. */
    record Placed(String taskId, String node) implements Decision {
        public Placed {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(node, "node");
        }
    }

    /** Leave the task queued; {@code reason} tells a person why it waits (e.g. "no node has labels [gpu]"). */
    record Unplaced(String taskId, String reason) implements Decision {
        public Unplaced {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
