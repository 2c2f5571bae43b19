package org.planetarymesh.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.planetarymesh.local.LocalMesh;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.NodeInfo;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/**
 * How fast the mesh recovers, on a local mesh of real processes with mutual TLS (3 coordinators, 3 agents):
 * (a) an agent killed with -9 while it runs tasks, until each of its tasks runs on another node; (b) the leading
 * coordinator killed with -9 mid-sweep, until another logs leadership and until the sweep makes progress again.
 * Medians of the repeats; the killed node is restarted between repeats.
 */
public final class FaultBench {
    private static final Duration BOUND = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 1 && args[0].equals("--repeats") ? Integer.parseInt(args[1]) : 5;
        System.out.printf("fault benchmark: %d repeats, 3 coordinators, 3 agents x 2 slots, %d cores, %s%n", repeats,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Path home = Files.createTempDirectory("mesh-fault-bench");
        LocalMesh mesh = new LocalMesh(home, System.getProperty("java.class.path"), List.of("-Dmesh.log.level=INFO"));
        mesh.up(3, 3, 2, Duration.ofSeconds(180), new PrintStream(new ByteArrayOutputStream()));
        try (MeshClient client = mesh.connect()) {
            List<Double> redispatch = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                String victim = "agent-" + (1 + r % 3);
                redispatch.add(agentLoss(mesh, client, victim));
                mesh.restart(victim, Duration.ofSeconds(10));
                until(() -> stateOf(client, victim) == NodeState.HEALTHY, "restarted " + victim + " healthy");
            }
            System.out.printf("(a) agent killed -> its tasks running elsewhere: median %.0f ms %s%n",
                    median(redispatch), redispatch);

            List<Double> takeover = new ArrayList<>();
            List<Double> progress = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                double[] times = leaderLoss(mesh, client);
                takeover.add(times[0]);
                progress.add(times[1]);
            }
            System.out.printf("(b) leader killed -> another leads: median %.0f ms %s%n", median(takeover), takeover);
            System.out.printf("    leader killed -> the sweep progresses again: median %.0f ms %s%n",
                    median(progress), progress);
        } finally {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    /** Milliseconds from kill -9 of {@code victim} until every task it ran runs (or ran) elsewhere. */
    private static double agentLoss(LocalMesh mesh, MeshClient client, String victim) {
        JobHandle job = client.submit(JobSpec.builder("agent-loss")
                .command("sh", "-c", "if [ \"$MESH_NODE\" = " + victim + " ]; then sleep 60; else sleep 0.5; fi; echo {i}")
                .param("i", IntStream.rangeClosed(1, 4).boxed().toList())
                .timeout(Duration.ofSeconds(90))
                .build());
        until(() -> running(job, victim).size() > 0, "a task running on " + victim);
        List<String> onVictim = running(job, victim);
        long killed = System.nanoTime();
        mesh.kill(victim);
        until(() -> job.tasks().stream().filter(t -> onVictim.contains(t.taskId()))
                .allMatch(t -> t.node().isPresent() && !t.node().get().equals(victim) && t.state() != TaskState.QUEUED),
                "tasks of " + victim + " elsewhere");
        double millis = (System.nanoTime() - killed) / 1e6;
        job.await(BOUND);
        return millis;
    }

    /** {takeover ms, progress ms} after kill -9 of the coordinator that leads, mid-sweep; restarts it after. */
    private static double[] leaderLoss(LocalMesh mesh, MeshClient client) {
        JobHandle job = client.submit(JobSpec.builder("leader-loss")
                .command("sh", "-c", "sleep 0.2; echo {i}")
                .param("i", IntStream.rangeClosed(1, 120).boxed().toList())
                .timeout(Duration.ofSeconds(90))
                .build());
        until(() -> job.status().progress().finished() >= 12, "the sweep under way");
        LocalMesh.Leader leader = mesh.leader().orElseThrow();
        int finishedAtKill = job.status().progress().finished();
        int runningAtKill = job.status().progress().running() + job.status().progress().assigned();
        long killed = System.nanoTime();
        mesh.kill(leader.node());
        double takeover = until(() -> mesh.leader().map(l -> l.epoch() > leader.epoch()).orElse(false),
                "a new leader", killed);
        // Tasks that were running finish by themselves; beyond them, a task placed by the new leader has finished.
        double progress = until(() -> job.status().progress().finished() > finishedAtKill + runningAtKill,
                "progress after the kill", killed);
        job.await(BOUND);
        mesh.restart(leader.node(), Duration.ofSeconds(10));
        until(() -> stateOf(client, leader.node()) == NodeState.HEALTHY, "restarted " + leader.node() + " healthy");
        return new double[] {takeover, progress};
    }

    private static List<String> running(JobHandle job, String node) {
        return job.tasks().stream().filter(t -> t.state() == TaskState.RUNNING && t.node().equals(Optional.of(node)))
                .map(TaskView::taskId).toList();
    }

    private static NodeState stateOf(MeshClient client, String node) {
        return client.nodes().stream().filter(n -> n.name().equals(node)).map(NodeInfo::state).findFirst()
                .orElse(NodeState.OFFLINE);
    }

    private static void until(BooleanSupplier condition, String what) {
        until(condition, what, System.nanoTime());
    }

    /** Polls every 20 ms (bounded by {@link #BOUND}); milliseconds from {@code since} until it held. */
    private static double until(BooleanSupplier condition, String what, long since) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + BOUND.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20); // the measurement's poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - since) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
