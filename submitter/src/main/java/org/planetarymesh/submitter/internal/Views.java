package org.planetarymesh.submitter.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.submitter.BlockedNode;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.TaskView;

/** Turns stored records into the public API's views. */
final class Views {
    private Views() {
    }

    static JobStatus status(JobRecord job) {
        return new JobStatus(job.jobId(), job.name(), job.state(), job.counts().toProgress(), job.priority(),
                Instant.ofEpochMilli(job.submittedAt()), instant(job.startedAt()), instant(job.finishedAt()));
    }

    static TaskView task(TaskRecord task) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < task.paramNames().size(); i++) {
            params.put(task.paramNames().get(i), task.paramValues().get(i));
        }
        Optional<Duration> duration = task.startedAt() > 0 && task.finishedAt() >= task.startedAt()
                ? Optional.of(Duration.ofMillis(task.finishedAt() - task.startedAt())) : Optional.empty();
        return new TaskView(task.taskId(), task.jobId(), task.index(), params, task.state(), task.attempt(),
                task.node() == null || task.node().isEmpty() ? Optional.empty() : Optional.of(task.node()),
                Optional.ofNullable(task.exitCode()), task.stdout(), task.stderr(), task.outputTruncated(), duration,
                task.reason(), Optional.ofNullable(task.cpuMillis()).map(Duration::ofMillis),
                task.peakMemoryBytes() == null ? OptionalLong.empty() : OptionalLong.of(task.peakMemoryBytes()));
    }

    static NodeInfo node(NodeRecord node, boolean blocked) {
        // the deny list wins at once; the leader's own verdict follows within a second
        NodeState state = blocked ? NodeState.BLOCKED : node.state();
        return new NodeInfo(node.name(), node.role(), node.address(), state, node.cores(), node.memoryBytes(),
                node.os(), node.arch(), node.slots(), node.runningTasks(), Set.copyOf(node.labels()),
                node.javaVersion(), node.latencyMicros(), Instant.ofEpochMilli(node.joinedAt()),
                Instant.ofEpochMilli(node.lastSeen()), protections(node.protections()), node.maxCpus(),
                node.maxMemoryBytes(), node.maxDiskBytes(), node.unavailableReason());
    }

    /** The known protections among a node's wire names; a newer node's unknown ones are left out. */
    private static Set<Protection> protections(List<String> wireNames) {
        Set<Protection> known = EnumSet.noneOf(Protection.class);
        wireNames.forEach(name -> Protection.ofWireName(name).ifPresent(known::add));
        return known;
    }

    static BlockedNode blocked(BlockRecord record) {
        return new BlockedNode(record.name(), record.reason(), record.blockedBy(), Instant.ofEpochMilli(record.blockedAt()));
    }

    private static Optional<Instant> instant(long millis) {
        return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
