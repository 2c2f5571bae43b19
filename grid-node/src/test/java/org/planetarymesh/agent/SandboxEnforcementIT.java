package org.planetarymesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.sandbox.Sandbox;
import org.planetarymesh.sandbox.SandboxSettings;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.testing.NodeProcesses;

/**
 * The adversarial tests of the sandbox: each runs a hostile task through the real runner with the sandbox this host
 * allows, and shows the limit is enforced, not merely configured. A test whose protection the host lacks is skipped
 * with the reason {@code --check-sandbox} gives.
 */
@EnabledOnOs(OS.LINUX)
class SandboxEnforcementIT {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static Path root;
    private static Path workRoot;
    private static Path secretDir;
    private static Sandbox sandbox;

    private final List<TaskReport> reports = new CopyOnWriteArrayList<>();
    private ProcessRunner runner;

    @BeforeAll
    static void detectSandbox() throws IOException {
        // Not @TempDir: its 0700 directory would keep a task user from reaching its work dir without bubblewrap.
        root = Files.createTempDirectory(Path.of("/tmp"), "mesh-sandbox-it");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        workRoot = Files.createDirectories(root.resolve("work"));
        Files.setPosixFilePermissions(workRoot, PosixFilePermissions.fromString("rwx--x--x"));
        secretDir = Files.createDirectories(root.resolve("identity"));
        Files.writeString(secretDir.resolve("node.key"), "-----BEGIN PRIVATE KEY-----\nsecret\n");
        sandbox = Sandbox.detect(SandboxSettings.of("it-" + ProcessHandle.current().pid(), workRoot,
                List.of(workRoot, secretDir)));
        System.out.println(String.join("\n", sandbox.report().lines()));
    }

    @AfterAll
    static void removeFiles() {
        sandbox.close();
        AttemptDirectory.delete(root);
    }

    @AfterEach
    void closeRunner() {
        if (runner != null) {
            runner.close();
        }
    }

    // 1
    @Test
    void when_aTaskAllocatesPastItsMemoryLimit_then_itIsKilledAndReportsMemoryLimitExceeded() {
        requires(Protection.MEMORY_LIMIT);
        // A shell string that doubles until something stops it.
        TaskLaunch bomb = launch(List.of("sh", "-c", "x=0123456789abcdef; while :; do x=\"$x$x\"; done"),
                new Resources(1, 64L << 20, 1L << 30, 64), NetworkAccess.ALLOWED, 60_000);

        TaskReport done = run(bomb);

        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).isEqualTo("memory limit exceeded (64 MiB)");
        assertThat(done.peakMemoryBytes()).isBetween(32L << 20, 64L << 20);
    }

    // 2
    @Test
    void when_aTaskForksWithoutEnd_then_thePidsLimitHoldsAndTheHostStaysResponsive() {
        requires(Protection.PROCESS_LIMIT);
        // dash gives up when a fork is refused: the bomb ends by itself once the limit holds it.
        TaskLaunch bomb = launch(List.of("sh", "-c", "while :; do sleep 311 & done"),
                new Resources(1, 256L << 20, 1L << 30, 32), NetworkAccess.ALLOWED, 20_000);

        runner().launch(bomb);
        List<Integer> counts = new ArrayList<>();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
            counts.add(processesOf(bomb));
            return terminal(bomb) != null;
        });
        // Meanwhile another task starts and finishes: the runner and the host keep working.
        TaskLaunch echo = launch(List.of("echo", "still here"), Resources.DEFAULT, NetworkAccess.ALLOWED, 10_000);
        TaskReport answer = run(echo);

        assertThat(counts).isNotEmpty().allMatch(n -> n <= 32);
        assertThat(terminal(bomb).outcome()).isEqualTo(TaskState.FAILED);
        assertThat(terminal(bomb).reason()).endsWith("after the process limit (32) refused a fork");
        assertThat(processesOf(bomb)).isZero();
        assertThat(answer.outcome()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(answer.stdout()).isEqualTo("still here\n");
    }

    // 3
    @Test
    void when_aTaskHogsTwoCoresWithAHalfCpuLimit_then_itGetsAtMostHalfACore() {
        requires(Protection.CPU_LIMIT);
        TaskLaunch hog = launch(List.of("sh", "-c", "while :; do :; done & while :; do :; done"),
                new Resources(0.5, 256L << 20, 1L << 30, 16), NetworkAccess.ALLOWED, 4_000);

        TaskReport done = run(hog);

        double share = done.cpuMillis() / (double) (done.finishedAt() - done.startedAt());
        System.out.printf("cpu hog: %d ms CPU in %d ms wall = %.2f cores (limit 0.5)%n", done.cpuMillis(),
                done.finishedAt() - done.startedAt(), share);
        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(share).isBetween(0.2, 0.6);
    }

    // 3, without cgroups
    @Test
    void when_onlyRlimitsAreAvailable_then_aCpuHogIsStoppedAtCpusTimesTimeoutCpuSeconds() {
        assumeTrue(sandbox.layers().prlimit().isPresent(), "host lacks prlimit");
        Sandbox rlimitsOnly = sandbox.with(sandbox.layers().withoutCgroups().withoutBwrap());
        runner = new ProcessRunner(ProcessRunner.Config.defaults(workRoot, "it-agent").withSandbox(rlimitsOnly),
                reports::add, Clock.systemUTC());
        TaskLaunch hog = launch(List.of("sh", "-c", "while :; do :; done"),
                new Resources(0.5, 256L << 20, 1L << 30, 16), NetworkAccess.ALLOWED, 4_000);

        TaskReport done = run(hog);

        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).isEqualTo("CPU time exceeded (2 s of CPU)");
    }

    // 4a
    @Test
    void when_aTaskWritesOneFileLargerThanItsDisk_then_theWriteIsStoppedAtTheCap() {
        requires(Protection.DISK_LIMIT);
        TaskLaunch filler = launch(List.of("sh", "-c", "head -c 100000000 /dev/zero > big && echo wrote"),
                new Resources(1, 256L << 20, 8L << 20, 16), NetworkAccess.ALLOWED, 30_000);

        TaskReport done = run(filler);

        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).contains("disk quota exceeded");
        assertThat(done.stdout()).doesNotContain("wrote");
    }

    // 4b
    @Test
    void when_aTaskFillsItsWorkDirWithManySmallFiles_then_theQuotaCheckStopsIt() {
        requires(Protection.DISK_LIMIT);
        TaskLaunch filler = launch(List.of("sh", "-c",
                        "i=0; while :; do head -c 1000000 /dev/zero > f$i || exit 3; i=$((i+1)); sleep 0.01; done"),
                new Resources(1, 256L << 20, 16L << 20, 16), NetworkAccess.ALLOWED, 60_000);

        TaskReport done = run(filler);

        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).startsWith("disk quota exceeded (").endsWith("limit 16 MiB)");
    }

    // 5
    @Test
    void when_aTaskTriesToEscapeItsNamespaces_then_nothingOutsideItsSandboxChanges() throws IOException {
        requires(Protection.FILESYSTEM_ISOLATION);
        requires(Protection.PID_ISOLATION);
        Path outside = root.resolve("outside.txt");
        String script = String.join("\n",
                // Lands in the sandbox's private /tmp at most, never in the host's.
                "echo x > " + outside,
                "echo x > /etc/mesh-escape && echo WROTE-ETC",
                "cat " + secretDir.resolve("node.key") + " && echo READ-KEY",
                "kill -9 " + ProcessHandle.current().pid() + " && echo KILLED-AGENT",
                "ls " + workRoot + " | wc -l",
                "echo done");
        TaskLaunch escape = launch(List.of("sh", "-c", script), Resources.DEFAULT, NetworkAccess.ALLOWED, 30_000);

        TaskReport done = run(escape);

        assertThat(done.stdout()).doesNotContain("WROTE-ETC", "READ-KEY", "KILLED-AGENT", "secret")
                .contains("done");
        assertThat(outside).doesNotExist();
        assertThat(Path.of("/etc/mesh-escape")).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    // 5 (network)
    @Test
    void when_aJobSaysNetworkNone_then_itsTaskCannotReachAListeningPortThatOthersReach() throws IOException {
        requires(Protection.NO_NETWORK);
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for /dev/tcp");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> connect = List.of("bash", "-c",
                    "echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo CONNECTED");

            TaskReport allowed = run(launch(connect, Resources.DEFAULT, NetworkAccess.ALLOWED, 30_000));
            TaskReport none = run(launch(connect, Resources.DEFAULT, NetworkAccess.NONE, 30_000));

            assertThat(allowed.stdout()).contains("CONNECTED");
            assertThat(none.stdout()).doesNotContain("CONNECTED");
            assertThat(none.outcome()).isEqualTo(TaskState.FAILED);
        }
    }

    // 6
    @Test
    void when_aTaskDoubleForksAndDetachesWithAScrubbedEnvironment_then_nothingOfItSurvivesTheTimeout() {
        requires(Protection.MEMORY_LIMIT); // a cgroup per attempt: the only thing that catches `setsid env -i`
        TaskLaunch sneaky = launch(List.of("sh", "-c",
                        "(sleep 312 &); (setsid env -i sleep 313 &); sh -c 'sleep 314 & wait' & sleep 315"),
                Resources.DEFAULT, NetworkAccess.ALLOWED, 2_000);

        runner().launch(sneaky);
        await().atMost(BOUND).until(() -> commandsRunning("sleep 31").size() >= 4 || terminal(sneaky) != null);
        TaskReport done = await().atMost(BOUND).until(() -> terminal(sneaky), r -> r != null);

        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(commandsRunning("sleep 31")).isEmpty();
    }

    // 7
    @Test
    void when_theAgentHasSecretsInItsEnvironment_then_aTaskSeesNoneOfThem() {
        TaskLaunch nosy = launch(List.of("sh", "-c", "env; cat /proc/" + ProcessHandle.current().pid()
                + "/environ 2>/dev/null | tr '\\0' '\\n'"), Resources.DEFAULT, NetworkAccess.ALLOWED, 30_000);

        TaskReport done = run(nosy);

        Map<String, String> agentEnv = System.getenv();
        List<String> leaked = agentEnv.entrySet().stream()
                .filter(e -> !List.of("PATH", "LANG", "PWD", "SHLVL", "_").contains(e.getKey()))
                .filter(e -> e.getValue().length() >= 4)
                .filter(e -> done.stdout().contains(e.getKey() + "=" + e.getValue()))
                .map(Map.Entry::getKey).toList();
        assertThat(done.outcome()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(leaked).isEmpty();
    }

    // 8, on one node: what the owner policy does to running tasks
    @Test
    void when_theRunnerSuspendsABusyTaskWithTheFreezer_then_itGetsNoCpuUntilResumed() {
        assumeTrue(sandbox.cgroups().map(c -> c.canFreeze()).orElse(false), "host has no freezer cgroup");
        suspendAndResume(runner());
    }

    @Test
    void when_theRunnerSuspendsABusyTaskWithoutCgroups_then_sigstopHoldsItsWholeTree() {
        runner = new ProcessRunner(ProcessRunner.Config.defaults(workRoot, "it-agent"), reports::add,
                Clock.systemUTC());
        suspendAndResume(runner);
    }

    private void suspendAndResume(ProcessRunner target) {
        // Two busy processes: the shell and its child, so that a suspension of only the leader would show.
        TaskLaunch busy = launch(List.of("sh", "-c", "while :; do :; done & while :; do :; done"),
                Resources.DEFAULT, NetworkAccess.ALLOWED, 60_000);
        target.launch(busy);
        await().atMost(BOUND).until(() -> cpuNanosOf(busy) > 200_000_000L);

        assertThat(target.suspendAll()).isEqualTo(1);
        long[] stoppedAt = {cpuNanosOf(busy)};
        // Held for a while: not a single busy tick more (what the kernel had in flight may still be counted once).
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> cpuNanosOf(busy) - stoppedAt[0] < 50_000_000L);
        assertThat(target.suspended()).isEqualTo(1);
        assertThat(target.resumeAll()).isEqualTo(1);
        await().atMost(BOUND).until(() -> cpuNanosOf(busy) > stoppedAt[0] + 300_000_000L);
        assertThat(target.cancel(busy.attemptId())).isTrue();
        await().atMost(BOUND).until(() -> terminal(busy) != null);
        assertThat(processesOf(busy)).isZero();
    }

    // ---- fixtures

    /** CPU time of the attempt's processes now. */
    private static long cpuNanosOf(TaskLaunch launch) {
        return NodeProcesses.withEnv(ProcessRunner.ENV_ATTEMPT_ID + "=" + launch.attemptId()).stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    private void requires(Protection protection) {
        assumeTrue(sandbox.report().active().contains(protection), () -> "host lacks " + protection.wireName()
                + ": " + sandbox.report().why().get(protection));
    }

    private ProcessRunner runner() {
        if (runner == null) {
            runner = new ProcessRunner(ProcessRunner.Config.defaults(workRoot, "it-agent").withSandbox(sandbox),
                    reports::add, Clock.systemUTC());
        }
        return runner;
    }

    private TaskReport run(TaskLaunch launch) {
        runner().launch(launch);
        return await().atMost(BOUND).until(() -> terminal(launch), r -> r != null);
    }

    private TaskReport terminal(TaskLaunch launch) {
        return reports.stream().filter(r -> r.attemptId().equals(launch.attemptId()) && r.outcome().isTerminal())
                .findFirst().orElse(null);
    }

    private static TaskLaunch launch(List<String> argv, Resources resources, NetworkAccess network, long timeout) {
        String job = "sbx-" + JOBS.incrementAndGet();
        return new TaskLaunch(job + "/0", job, job + "/0@1", 1, argv, List.of(), Map.of(), timeout, resources,
                network);
    }

    /** Processes carrying the attempt's id in their environment (the runner marks every process it starts). */
    private static int processesOf(TaskLaunch launch) {
        return NodeProcesses.withEnv(ProcessRunner.ENV_ATTEMPT_ID + "=" + launch.attemptId()).size();
    }

    private static List<Long> commandsRunning(String prefix) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(prefix)).orElse(false))
                .filter(p -> !p.info().commandLine().orElse("").contains("sh -c"))
                .map(ProcessHandle::pid).toList();
    }
}
