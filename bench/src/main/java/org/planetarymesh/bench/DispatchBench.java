package org.planetarymesh.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.local.LocalMesh;
import org.planetarymesh.security.tls.MeshRoles;
import org.planetarymesh.security.tls.PemIdentity;
import org.planetarymesh.security.tls.TlsClients;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;

/**
 * Dispatch throughput and latency of the mesh against the raw process launch rate of a plain JVM,
 * both measured in the same run on the same machine. Prints medians of the repeats and their ratio.
 */
public final class DispatchBench {

    public static void main(String[] args) throws Exception {
        int tasks = intArg(args, "--tasks", 2000);
        int repeats = intArg(args, "--repeats", 3);
        int agents = intArg(args, "--agents", 3);
        int slots = intArg(args, "--slots", 4);
        System.out.printf("dispatch benchmark: %d tasks of /bin/true, %d repeats, %d agents x %d slots, %d cores, %s%n",
                tasks, repeats, agents, slots, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        // (a) baseline: a plain JVM launching /bin/true, sequentially and on one thread per core.
        rawLaunchRate(200, 1); // warm-up
        List<Double> rawSequential = new ArrayList<>();
        List<Double> rawParallel = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            rawSequential.add(rawLaunchRate(tasks, 1));
            rawParallel.add(rawLaunchRate(tasks, Runtime.getRuntime().availableProcessors()));
        }
        double baseline = Math.max(median(rawSequential), median(rawParallel));
        System.out.printf("(a) raw launch rate: 1 thread %.0f/s, %d threads %.0f/s (medians of %s and %s) -> baseline %.0f/s%n",
                median(rawSequential), Runtime.getRuntime().availableProcessors(), median(rawParallel),
                round(rawSequential), round(rawParallel), baseline);
        List<Double> rawStartMillis = rawStartLatencies(50);

        // (b) the same work through a local mesh.
        Path home = Files.createTempDirectory("mesh-bench");
        LocalMesh mesh = new LocalMesh(home, System.getProperty("java.class.path"), List.of("-Dmesh.log.level=WARN"));
        mesh.up(1, agents, slots, Duration.ofSeconds(120), new PrintStream(new ByteArrayOutputStream()));
        try (MeshClient client = mesh.connect()) {
            LocalMesh.State state = mesh.read().orElseThrow();
            ClientConfig config = new ClientConfig();
            config.setClusterName(state.clusterName());
            config.getNetworkConfig().setAddresses(state.coordinatorAddresses());
            config.setProperty("hazelcast.logging.type", "none");
            // The local mesh runs mutual TLS by default: this reader presents the local client identity too.
            MeshClientOptions.localMesh(home).tlsIdentity().ifPresent(dir -> TlsClients.useTls(config,
                    PemIdentity.load(dir, null, MeshRoles.MEMBERS)));
            HazelcastInstance raw = HazelcastClient.newHazelcastClient(config);
            try {
                IMap<String, TaskRecord> taskMap = raw.getMap(MeshObjects.TASKS);
                IMap<String, JobRecord> jobMap = raw.getMap(MeshObjects.JOBS);
                runSweep(client, 200, taskMap, jobMap); // warm-up of every JVM on the path
                List<Double> rates = new ArrayList<>();
                List<Double> sweepP50 = new ArrayList<>();
                List<Double> sweepP99 = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    SweepResult result = runSweep(client, tasks, taskMap, jobMap);
                    rates.add(result.tasksPerSecond());
                    System.out.printf("    run %d: %.0f tasks/s; per task p50: placed->process started %.0f ms, "
                            + "started->end reported %.0f ms%n", r + 1, result.tasksPerSecond(),
                            percentile(result.assignToStart(), 50), percentile(result.startToEnd(), 50));
                    sweepP50.add(percentile(result.startLatencies(), 50));
                    sweepP99.add(percentile(result.startLatencies(), 99));
                }
                double rate = median(rates);
                System.out.printf("(b) mesh sweep: median %.0f tasks/s (runs %s); submit->process-start incl. queueing "
                        + "p50 %.0f ms, p99 %.0f ms%n", rate, round(rates), median(sweepP50), median(sweepP99));
                System.out.printf("ratio b/a = %.2f (goal >= 0.7)%n", rate / baseline);

                List<Double> single = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    single.addAll(runSweep(client, 1, taskMap, jobMap).startLatencies());
                }
                double added = percentile(single, 50) - percentile(rawStartMillis, 50);
                System.out.printf("idle mesh, one task: submit->process-start p50 %.1f ms, p99 %.1f ms; raw start() "
                        + "p50 %.1f ms -> added latency p50 %.1f ms (goal <= 2 ms)%n", percentile(single, 50),
                        percentile(single, 99), percentile(rawStartMillis, 50), added);
            } finally {
                raw.shutdown();
            }
        } finally {
            mesh.down(Duration.ofSeconds(20));
        }
    }

    record SweepResult(double tasksPerSecond, List<Double> startLatencies, List<Double> assignToStart,
                       List<Double> startToEnd) {
    }

    private static SweepResult runSweep(MeshClient client, int tasks, IMap<String, TaskRecord> taskMap,
                                        IMap<String, JobRecord> jobMap) {
        JobSpec spec = JobSpec.builder("bench-" + tasks).command("/bin/true").env("I", "{i}")
                .param("i", IntStream.rangeClosed(1, tasks).boxed().toList())
                .timeout(Duration.ofSeconds(60)).maxAttempts(1).build();
        long start = System.nanoTime();
        JobHandle job = client.submit(spec);
        var status = job.await(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status.state() != JobState.SUCCEEDED) {
            throw new IllegalStateException("benchmark job did not succeed: " + status);
        }
        long submittedAt = jobMap.get(job.id()).submittedAt();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < tasks; i++) {
            keys.add(TaskRecord.taskId(job.id(), i));
        }
        List<Double> latencies = new ArrayList<>();
        List<Double> assignToStart = new ArrayList<>();
        List<Double> startToEnd = new ArrayList<>();
        for (TaskRecord task : taskMap.getAll(keys).values()) {
            latencies.add((double) (task.startedAt() - submittedAt));
            assignToStart.add((double) (task.startedAt() - task.assignedAt()));
            startToEnd.add((double) (task.finishedAt() - task.startedAt()));
        }
        return new SweepResult(tasks / seconds, latencies, assignToStart, startToEnd);
    }

    static double rawLaunchRate(int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        launchTrue().waitFor();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Double> rawStartLatencies(int count) throws Exception {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Process p = launchTrue();
            latencies.add((System.nanoTime() - start) / 1e6);
            p.waitFor();
        }
        return latencies;
    }

    private static Process launchTrue() throws IOException {
        return new ProcessBuilder("/bin/true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static List<Long> round(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
