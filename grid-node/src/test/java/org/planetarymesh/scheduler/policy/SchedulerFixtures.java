package org.planetarymesh.scheduler.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * Builders for the placement tests: {@code aNode("n1").withSlots(4).running(1).labelled("gpu")},
 * {@code aNode("n2").offering(Protection.NO_NETWORK).withCapacity(4, 8 * GIB, 100 * GIB).using(1, GIB, 0)}.
 * A node built without capacity counts in slots only; a task built without demand asks for none.
 */
final class SchedulerFixtures {

    private SchedulerFixtures() {
    }

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

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
        private Set<Protection> protections = Set.of();
        private Amounts capacity = Amounts.UNLIMITED;
        private Amounts used = Amounts.NONE;
        private String unavailable = "";

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

        NodeBuilder offering(Protection... p) {
            protections = p.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(p));
            return this;
        }

        NodeBuilder withCapacity(double cpus, long memoryBytes, long diskBytes) {
            capacity = Amounts.of(cpus, memoryBytes, diskBytes);
            return this;
        }

        NodeBuilder using(double cpus, long memoryBytes, long diskBytes) {
            used = Amounts.of(cpus, memoryBytes, diskBytes);
            return this;
        }

        NodeBuilder unavailable(String why) {
            unavailable = why;
            return this;
        }

        NodeView build() {
            return new NodeView(name, slots, running, labels, latencyMicros, accepting, protections, capacity, used,
                    unavailable);
        }
    }

    static final class TaskBuilder {
        private final String taskId;
        private int priority;
        private long submittedAt = 1_000;
        private Set<String> labels = Set.of();
        private Set<String> avoid = Set.of();
        private Amounts demand = Amounts.NONE;
        private Set<Protection> protections = Set.of();

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

        TaskBuilder demanding(double cpus, long memoryBytes, long diskBytes) {
            demand = Amounts.of(cpus, memoryBytes, diskBytes);
            return this;
        }

        TaskBuilder requiring(Protection... p) {
            protections = Set.of(p);
            return this;
        }

        TaskRequest build() {
            int slash = taskId.lastIndexOf('/');
            int index = slash < 0 ? 0 : Integer.parseInt(taskId.substring(slash + 1));
            return new TaskRequest(taskId, priority, submittedAt, index, labels, avoid, demand, protections);
        }
    }
}
