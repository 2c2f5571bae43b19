package org.planetarymesh.bench;

import static org.planetarymesh.bench.DispatchBench.median;
import static org.planetarymesh.bench.DispatchBench.percentile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.agent.ProcessRunner;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.sandbox.Sandbox;
import org.planetarymesh.sandbox.SandboxLayers;
import org.planetarymesh.sandbox.SandboxSettings;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;

/**
 * Per-task cost of each sandbox backend: {@code /bin/true} launched through the agent's runner with no sandbox,
 * prlimit only, a cgroup only, bubblewrap only, and the host's default (every layer it allows), against the raw
 * {@link ProcessBuilder} rate of the same JVM, all in one run. Prints launches/s of a burst of {@code --tasks}
 * (median of the repeats), p50/p99 launch latency of one launch at a time (launch call to the process started, no
 * queueing) and each rate as a ratio of the raw one.
 *
 * <p>Usage: {@code bench/run sandbox [--tasks N] [--repeats R]}.
 */
public final class SandboxBench {

    public static void main(String[] args) throws Exception {
        int tasks = 300;
        int repeats = 3;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Files.createTempDirectory(Path.of("/tmp"), "mesh-sandbox-bench");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        Path work = Files.createDirectories(root.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        try (Sandbox detected = Sandbox.detect(SandboxSettings.of("bench-" + ProcessHandle.current().pid(), work,
                List.of(work)))) {
            System.out.println(String.join("\n", detected.report().lines()));
            SandboxLayers all = detected.layers();
            Map<String, Sandbox> backends = new LinkedHashMap<>();
            backends.put("plain process (runner, no sandbox)", Sandbox.none());
            if (all.prlimit().isPresent()) {
                backends.put("prlimit", detected.with(new SandboxLayers(all.prlimit(), java.util.Optional.empty(),
                        java.util.Optional.empty(), java.util.Set.of(), List.of())));
            }
            if (!all.cgroupLimits().isEmpty()) {
                backends.put("cgroup", detected.with(new SandboxLayers(java.util.Optional.empty(),
                        java.util.Optional.empty(), java.util.Optional.empty(), all.cgroupLimits(), List.of())));
            }
            if (all.bwrap().isPresent()) {
                backends.put("bubblewrap" + (all.user().isPresent() ? " (+ setpriv to the task user)" : ""),
                        detected.with(new SandboxLayers(java.util.Optional.empty(), all.user(), all.bwrap(),
                                java.util.Set.of(), all.hidden())));
            }
            backends.put("default: every layer this host allows", detected);

            DispatchBench.rawLaunchRate(100, 2); // warm-up
            List<Double> raw = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                raw.add(DispatchBench.rawLaunchRate(tasks, 2));
            }
            double baseline = median(raw);
            System.out.printf("%nraw ProcessBuilder /bin/true, 2 threads: median %.0f launches/s (runs %s)%n",
                    baseline, rounded(raw));
            double plain = 0;
            for (Map.Entry<String, Sandbox> backend : backends.entrySet()) {
                run(backend.getValue(), work, 50, 50); // warm-up
                List<Double> rates = new ArrayList<>();
                List<Double> p50 = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    rates.add(run(backend.getValue(), work, tasks, tasks).rate());
                    List<Double> alone = run(backend.getValue(), work, 100, 1).latencies();
                    p50.add(percentile(alone, 50));
                    p99.add(percentile(alone, 99));
                }
                double rate = median(rates);
                if (plain == 0) {
                    plain = rate;
                }
                System.out.printf("%-52s %6.0f launches/s (runs %s)  launch p50 %5.1f ms  p99 %5.1f ms  "
                                + "raw ratio %.2f  plain-runner ratio %.2f%n", backend.getKey(), rate, rounded(rates),
                        median(p50), median(p99), rate / baseline, rate / plain);
            }
        } finally {
            deleteTree(root);
        }
    }

    private record Result(double rate, List<Double> latencies) {
    }

    /**
     * Launches {@code count} /bin/true attempts through a runner, {@code inFlight} at a time (all at once for the
     * rate, one by one for latencies without queueing), and waits for every outcome.
     */
    private static Result run(Sandbox sandbox, Path work, int count, int inFlight) throws Exception {
        Map<String, Long> launchedAt = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ProcessRunner runner = new ProcessRunner(ProcessRunner.Config.defaults(work, "bench").withSandbox(sandbox),
                report -> onReport(report, launchedAt, latencies, failures, done, slots), Clock.systemUTC());
        try {
            String job = "b" + System.nanoTime();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (!slots.tryAcquire(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("an attempt did not finish in a minute");
                }
                String attempt = job + "/" + i + "@1";
                launchedAt.put(attempt, System.nanoTime());
                runner.launch(new TaskLaunch(job + "/" + i, job, attempt, 1, List.of("/bin/true"), List.of(),
                        Map.of(), 60_000, Resources.DEFAULT, NetworkAccess.ALLOWED));
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("attempts did not finish in 10 minutes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " attempts failed, e.g. " + failures.get(0));
            }
            return new Result(count / seconds, List.copyOf(latencies));
        } finally {
            runner.close();
        }
    }

    private static void onReport(TaskReport report, Map<String, Long> launchedAt, List<Double> latencies,
                                 List<String> failures, CountDownLatch done,
                                 java.util.concurrent.Semaphore slots) {
        if (report.outcome() == TaskState.RUNNING) {
            latencies.add((System.nanoTime() - launchedAt.get(report.attemptId())) / 1e6);
        } else if (report.outcome().isTerminal()) {
            if (report.outcome() != TaskState.SUCCEEDED) {
                failures.add(report.reason() + " " + report.stderr());
            }
            done.countDown();
            slots.release();
        }
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
