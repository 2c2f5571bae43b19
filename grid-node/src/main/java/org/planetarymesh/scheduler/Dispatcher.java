package org.planetarymesh.scheduler;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.planetarymesh.agent.CancelAttempts;
import org.planetarymesh.agent.HeldAttempts;
import org.planetarymesh.agent.RunAttempts;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends placed attempts to agents: one executor call per agent per round, carrying every attempt placed
 * there (a call per task with many futures in flight collapses Hazelcast's throughput; docs/adr/0007).
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** A batch that did not reach its agent; its attempts must be requeued. */
    record Failure(String node, List<TaskRecord> tasks, String why) {
    }

    private final HazelcastInstance hz;
    private final IExecutorService executor;
    private final Consumer<Failure> failures;

    Dispatcher(HazelcastInstance hz, Consumer<Failure> onFailure) {
        this.hz = hz;
        this.executor = hz.getExecutorService(MeshObjects.DISPATCH);
        this.failures = onFailure;
    }

    void dispatch(Map<String, List<TaskRecord>> placed, Map<String, NodeRecord> agents,
                  Function<String, JobExpansion.Terms> termsOfJob) {
        placed.forEach((node, tasks) -> {
            Member member = member(agents.get(node));
            if (member == null) {
                failures.accept(new Failure(node, tasks, "node is not a member of the mesh"));
                return;
            }
            List<TaskLaunch> launches = new ArrayList<>(tasks.size());
            for (TaskRecord task : tasks) {
                JobExpansion.Terms terms = termsOfJob.apply(task.jobId());
                launches.add(new TaskLaunch(task.taskId(), task.jobId(), task.attemptId(), task.attempt(), task.argv(),
                        task.env(), terms.files(), task.timeoutMillis(), terms.resources(), terms.network()));
            }
            executor.submitToMember(new RunAttempts(launches), member, new ExecutionCallback<Integer>() {
                @Override
                public void onResponse(Integer accepted) {
                    LOG.debug("dispatched node={} attempts={}", node, accepted);
                }

                @Override
                public void onFailure(Throwable t) {
                    failures.accept(new Failure(node, tasks, t.toString()));
                }
            });
        });
    }

    /** Asks agents to kill attempts; an agent that is gone has nothing left to kill. */
    void kill(List<SchedulingState.Kill> kills, Map<String, NodeRecord> agents) {
        Map<String, List<String>> byNode = new HashMap<>();
        kills.forEach(k -> byNode.computeIfAbsent(k.node(), n -> new ArrayList<>()).add(k.attemptId()));
        byNode.forEach((node, attemptIds) -> {
            Member member = member(agents.get(node));
            if (member != null) {
                executor.submitToMember(new CancelAttempts(attemptIds), member);
            }
        });
    }

    /**
     * Asks an agent which attempts it holds ({@link HeldAttempts}); {@code answer} gets them, or null when the agent
     * cannot be asked or did not answer. Called back on a Hazelcast thread.
     */
    void askHeld(String node, Map<String, NodeRecord> agents, BiConsumer<String, List<String>> answer) {
        Member member = member(agents.get(node));
        if (member == null) {
            answer.accept(node, null);
            return;
        }
        executor.submitToMember(new HeldAttempts(node), member, new ExecutionCallback<List<String>>() {
            @Override
            public void onResponse(List<String> held) {
                answer.accept(node, held);
            }

            @Override
            public void onFailure(Throwable t) {
                LOG.warn("held attempts not reported node={} reason={}", node, t.toString());
                answer.accept(node, null);
            }
        });
    }

    private Member member(NodeRecord node) {
        if (node == null) {
            return null;
        }
        for (Member member : hz.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(node.memberUuid())) {
                return member;
            }
        }
        return null;
    }
}
