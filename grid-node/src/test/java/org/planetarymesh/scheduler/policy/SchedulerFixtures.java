package org.planetarymesh.scheduler.policy;

import java.util.Arrays;
import java.util.Set;

/** Builders for the placement tests: {@code aNode("n1").withSlots(4).running(1).labelled("gpu")}. */
final class SchedulerFixtures {

    private SchedulerFixtures() {
    }

    static NodeBuilder aNode(String name) {
        return new NodeBuilder(name);
    }

    static TaskBuilder aTask(String taskId) {
        return new TaskBuilder(taskId);
    }

    static ClusterView viewOf(NodeBuilder... nodes) {
        return new ClusterView(Arrays.stream(nodes).map(NodeBuilder::build).toList());
    }

    static final class NodeBuilder {
        private final String name;
        private int slots = 4;
        private int running;
        private Set<String> labels = Set.of();
        private long latencyMicros = 100;
        private boolean accepting = true;

        private NodeBuilder(String name) {
            this.name = name;
        }

        NodeBuilder withSlots(int n) {
            slots = n;
            return this;
        }

        NodeBuilder running(int n) {
            running = n;
            return this;
        }

        NodeBuilder labelled(String... l) {
            labels = Set.of(l);
            return this;
        }

        NodeBuilder withLatencyMicros(long micros) {
            latencyMicros = micros;
            return this;
        }

        NodeBuilder draining() {
            accepting = false;
            return this;
        }

        NodeView build() {
            return new NodeView(name, slots, running, labels, latencyMicros, accepting);
        }
    }

    static final class TaskBuilder {
        private final String taskId;
        private int priority;
        private long submittedAt = 1_000;
        private Set<String> labels = Set.of();
        private Set<String> avoid = Set.of();

        private TaskBuilder(String taskId) {
            this.taskId = taskId;
        }

        TaskBuilder withPriority(int p) {
            priority = p;
            return this;
        }

        TaskBuilder submittedAt(long millis) {
            submittedAt = millis;
            return this;
        }

        TaskBuilder needing(String... l) {
            labels = Set.of(l);
            return this;
        }

        TaskBuilder avoiding(String... nodes) {
            avoid = Set.of(nodes);
            return this;
        }

        TaskRequest build() {
            int slash = taskId.lastIndexOf('/');
            int index = slash < 0 ? 0 : Integer.parseInt(taskId.substring(slash + 1));
            return new TaskRequest(taskId, priority, submittedAt, index, labels, avoid);
        }
    }
}
