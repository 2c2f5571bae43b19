package org.planetarymesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.TaskState;

@EnabledOnOs(OS.LINUX)
class ProcessRunnerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Prints the pid of a background sleep, then its own pid, then sleeps: a task with a grandchild. */
    private static final String WITH_GRANDCHILD = "sleep 300 & echo $!; echo $$; sleep 300";
    private static final AtomicInteger JOBS = new AtomicInteger();

    @TempDir
    Path root;

    private final List<TaskReport> reports = new CopyOnWriteArrayList<>();
    private final List<Long> pidsToReap = new CopyOnWriteArrayList<>();
    private ProcessRunner runner;

    @AfterEach
    void closeRunnerAndReapStrays() {
        if (runner != null) {
            runner.close();
        }
        // A failing test must not leave sleeps behind on the build machine.
        pidsToReap.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    // ---- outcomes

    @Test
    void when_taskExitsZero_then_itIsReportedRunningThenSucceededWithItsStdout() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("echo", "hello").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(reportsOf(launch)).extracting(TaskReport::outcome)
                .containsExactly(TaskState.RUNNING, TaskState.SUCCEEDED);
        assertThat(done.exitCode()).isZero();
        assertThat(done.stdout()).isEqualTo("hello\n");
        assertThat(done.stderr()).isEmpty();
        assertThat(done.reason()).isEmpty();
        assertThat(done.outputTruncated()).isFalse();
        assertThat(done.node()).isEqualTo("agent-1");
        assertThat(done.startedAt()).isEqualTo(NOW.toEpochMilli());
        assertThat(done.finishedAt()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void when_taskExitsNonZero_then_itFailsWithItsExitCodeAndStderr() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("sh", "-c", "echo oops >&2; exit 3").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.exitCode()).isEqualTo(3);
        assertThat(done.reason()).isEqualTo("exit code 3");
        assertThat(done.stderr()).isEqualTo("oops\n");
    }

    @Test
    void when_programDoesNotExist_then_itFailsWithCannotStartAndNeverRuns() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("no-such-program-4711", "x").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(reportsOf(launch)).extracting(TaskReport::outcome).containsExactly(TaskState.FAILED);
        assertThat(done.reason()).isEqualTo("cannot start: program not found: no-such-program-4711");
        assertThat(done.exitCode()).isNull();
        assertThat(done.startedAt()).isZero();
    }

    // ---- work directory, files and environment

    @Test
    void when_launchCarriesInlineFiles_then_theyAreWrittenInTheWorkDirAndRun() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("sh", "script.sh", "world")
                .file("script.sh", "echo \"hello $1\"; cat data/input.txt")
                .file("data/input.txt", "42\n")
                .build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.stdout()).isEqualTo("hello world\n42\n");
    }

    @Test
    void when_inlineFileStartsWithShebang_then_itIsExecutableFromTheWorkDir() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("./run.sh").file("run.sh", "#!/bin/sh\necho ran\n").build();

        runner.launch(launch);

        assertThat(awaitTerminal(launch).stdout()).isEqualTo("ran\n");
    }

    @Test
    void when_inlineFileEscapesTheWorkDir_then_itFailsWithCannotStartAndNothingIsWrittenOutside() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("true").file("../evil.txt", "x").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).isEqualTo("cannot start: file path escapes the work dir: ../evil.txt");
        assertThat(root.resolve(launch.jobId()).resolve("evil.txt")).doesNotExist();
    }

    @Test
    void when_taskPrintsItsEnvironment_then_onlyTheBaseTheLaunchAndTheMeshVariablesAreThere() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("env").env("GREETING=hello", "EQUALS=a=b").build();

        runner.launch(launch);

        Map<String, String> env = parseEnv(awaitTerminal(launch).stdout());
        Path workDir = attemptDir(launch);
        assertThat(env.keySet()).containsExactlyInAnyOrder("PATH", "LANG", "HOME", "TMPDIR",
                "GREETING", "EQUALS", "MESH_NODE", "MESH_TASK_ID", "MESH_ATTEMPT_ID", "MESH_WORK_DIR");
        assertThat(env).containsEntry("HOME", workDir.toString())
                .containsEntry("TMPDIR", workDir.resolve("tmp").toString())
                .containsEntry("MESH_WORK_DIR", workDir.toString())
                .containsEntry("MESH_NODE", "agent-1")
                .containsEntry("MESH_TASK_ID", launch.taskId())
                .containsEntry("MESH_ATTEMPT_ID", launch.attemptId())
                .containsEntry("GREETING", "hello")
                .containsEntry("EQUALS", "a=b");
        // Everything else the agent has stays behind (the JVM under test has more than PATH and LANG).
        Set<String> agentOnly = System.getenv().keySet().stream()
                .filter(k -> !Set.of("PATH", "LANG", "HOME", "TMPDIR").contains(k))
                .collect(Collectors.toSet());
        assertThat(agentOnly).isNotEmpty().doesNotContainAnyElementsOf(env.keySet());
    }

    @Test
    void when_idsAreNotFileNames_then_theWorkDirIsSanitizedAndStaysUnderTheRoot() {
        runner = runner(config());
        TaskLaunch launch = new TaskLaunch("../up/we go", "../up", "../up/we go@1", 1,
                List.of("printenv", "MESH_WORK_DIR"), List.of(), Map.of(), 0, Resources.DEFAULT, NetworkAccess.ALLOWED);

        runner.launch(launch);

        Path workDir = Path.of(awaitTerminal(launch).stdout().strip());
        assertThat(workDir).isEqualTo(root.resolve(".._up").resolve("we_go-a1"));
    }

    @Test
    void when_attemptEnds_then_itsWorkDirIsDeletedUnlessKept() {
        runner = runner(config());
        TaskLaunch deleted = aLaunch("echo", "bye").build();
        runner.launch(deleted);
        awaitTerminal(deleted);
        await().atMost(WAIT).until(() -> !Files.exists(attemptDir(deleted)));

        runner.close();
        runner = runner(config().withKeepWorkDirs(true));
        TaskLaunch kept = aLaunch("echo", "stay").build();
        runner.launch(kept);
        awaitTerminal(kept);
        assertThat(attemptDir(kept).resolve(ProcessRunner.STDOUT_FILE)).hasContent("stay");
    }

    // ---- output capture

    @Test
    void when_outputExceedsTheCap_then_itsHeadIsKeptWithATruncationMarker() {
        runner = runner(config().withMaxOutputBytes(1000));
        TaskLaunch launch = aLaunch("sh", "-c", "head -c 5000 /dev/zero | tr '\\000' x").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outputTruncated()).isTrue();
        assertThat(done.stdout()).isEqualTo("x".repeat(1000) + "\n[... output truncated: 5000 bytes, kept first 1000]");
        assertThat(done.stderr()).isEmpty();
    }

    // ---- timeouts and the process tree

    @Test
    void when_taskOutlivesItsTimeout_then_itTimesOutAndItAndItsGrandchildAreGone() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("sh", "-c", WITH_GRANDCHILD).timeoutMillis(500).build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(done.reason()).isEqualTo("timed out after 500ms");
        assertThat(done.exitCode()).isNull();
        List<Long> pids = pids(done.stdout());
        assertThat(pids).hasSize(2).noneMatch(ProcessRunnerTest::isRunning);
    }

    @Test
    void when_taskDoubleForksWithinItsGroup_then_theTimeoutKillsTheOrphanToo() {
        runner = runner(config());
        // The subshell exits at once: its sleep is re-parented to init but stays in the task's process group.
        TaskLaunch launch = aLaunch("sh", "-c", "( sleep 300 & echo $! ); sleep 300").timeoutMillis(500).build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(pids(done.stdout())).hasSize(1).noneMatch(ProcessRunnerTest::isRunning);
    }

    @Test
    void when_taskDaemonizesWithSetsid_then_theEnvironmentCookieStillFindsAndKillsIt() {
        runner = runner(config().withKeepWorkDirs(true));
        // The daemon leaves both the tree (re-parented) and the group (own session): neither descendants()
        // nor the group kill reach it; its MESH_ATTEMPT_ID does.
        TaskLaunch launch = aLaunch("sh", "-c", "echo $$; ( setsid sleep 300 & echo $! ); sleep 300").build();
        runner.launch(launch);
        List<Long> pids = awaitPids(launch, 2);
        long leader = pids.get(0);
        long daemon = pids.get(1);
        await().atMost(WAIT).until(() -> ProcessHandle.of(daemon).flatMap(ProcessHandle::parent)
                .map(p -> p.pid() != leader).orElse(false));
        assertThat(ProcessHandle.of(leader).orElseThrow().descendants().map(ProcessHandle::pid)).doesNotContain(daemon);

        assertThat(runner.cancel(launch.attemptId())).isTrue();

        awaitTerminal(launch);
        assertThat(pids).noneMatch(ProcessRunnerTest::isRunning);
    }

    @Test
    void when_anAgentRestartsAfterACrash_then_theProcessesItsEarlierRunLeftAreKilled() {
        ProcessRunner crashed = runner(config().withKeepWorkDirs(true));
        // A daemon that left tree and group, as an attempt of an agent killed with -9 would be left running.
        TaskLaunch launch = aLaunch("sh", "-c", "( setsid sleep 300 & echo $! ); echo $$; sleep 300").build();
        crashed.launch(launch);
        List<Long> pids = awaitPids(launch, 2);
        ProcessRunner other = new ProcessRunner(ProcessRunner.Config.defaults(root.resolve("other"), "agent-2"),
                reports::add, fixedClock());

        assertThat(other.killOrphansOfEarlierRun()).as("another node's processes are not its orphans").isZero();
        runner = runner(config());
        assertThat(runner.killOrphansOfEarlierRun()).isGreaterThanOrEqualTo(2);

        assertThat(pids).noneMatch(ProcessRunnerTest::isRunning);
        other.close();
        crashed.close();
    }

    @Test
    void when_taskExitsLeavingABackgroundProcessInItsGroup_then_itIsKilledAfterTheExit() {
        runner = runner(config());
        // A daemon that also left the group (setsid) is caught by the environment sweep, which runs only when
        // the mesh kills an attempt (timeout, cancel); see the class javadoc.
        TaskLaunch launch = aLaunch("sh", "-c", "( sleep 300 & echo $! ); echo done").build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.SUCCEEDED);
        List<Long> leftovers = pids(done.stdout());
        assertThat(leftovers).hasSize(1);
        await().atMost(WAIT).until(() -> leftovers.stream().noneMatch(ProcessRunnerTest::isRunning));
    }

    @Test
    void when_setsidIsAbsent_then_theTimeoutStillKillsTheTreeAndSparesTheAgentsGroup() {
        runner = new ProcessRunner(config(), reports::add, fixedClock(), Optional.empty());
        TaskLaunch launch = aLaunch("sh", "-c", "( sleep 300 & echo $! ); " + WITH_GRANDCHILD)
                .timeoutMillis(500).build();

        runner.launch(launch);

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(pids(done.stdout())).hasSize(3).noneMatch(ProcessRunnerTest::isRunning);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    // ---- cancel and close

    @Test
    void when_cancelled_then_itIsReportedCancelledAndItsTreeIsGone() {
        runner = runner(config().withKeepWorkDirs(true));
        TaskLaunch launch = aLaunch("sh", "-c", WITH_GRANDCHILD).build();
        runner.launch(launch);
        List<Long> pids = awaitPids(launch, 2);
        assertThat(runner.running()).isEqualTo(1);
        assertThat(runner.runningAttemptIds()).containsExactly(launch.attemptId());

        assertThat(runner.cancel(launch.attemptId())).isTrue();

        TaskReport done = awaitTerminal(launch);
        assertThat(done.outcome()).isEqualTo(TaskState.CANCELLED);
        assertThat(done.reason()).isEqualTo("cancelled on request");
        assertThat(done.exitCode()).isNull();
        assertThat(pids).noneMatch(ProcessRunnerTest::isRunning);
        assertThat(runner.running()).isZero();
        assertThat(runner.cancel(launch.attemptId())).isFalse();
    }

    @Test
    void when_cancelRacesStartAndTimeout_then_everyAttemptGetsExactlyOneTerminalReport() {
        runner = runner(config());
        List<TaskLaunch> launches = IntStream.range(0, 16)
                .mapToObj(i -> aLaunch("sleep", "300").timeoutMillis(1 + 10L * i).build())
                .toList();

        launches.forEach(runner::launch);
        // Half are cancelled at once, most while still starting; the other half once running, against their timeout.
        launches.subList(0, 8).forEach(l -> runner.cancel(l.attemptId()));
        await().atMost(WAIT).until(() -> launches.subList(8, 16).stream()
                .allMatch(l -> !reportsOf(l).isEmpty()));
        launches.subList(8, 16).forEach(l -> runner.cancel(l.attemptId()));

        await().atMost(WAIT).until(() -> launches.stream()
                .allMatch(l -> reportsOf(l).stream().anyMatch(r -> r.outcome().isTerminal())));
        int settled = reports.size();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> reports.size() == settled);
        assertThat(runner.running()).isZero();
        for (TaskLaunch launch : launches) {
            List<TaskReport> own = reportsOf(launch);
            assertThat(own.stream().filter(r -> r.outcome().isTerminal()))
                    .as("terminal reports of %s", launch.attemptId())
                    .singleElement()
                    .extracting(TaskReport::outcome).isIn(TaskState.CANCELLED, TaskState.TIMED_OUT);
            assertThat(own.get(own.size() - 1).outcome().isTerminal()).isTrue();
        }
    }

    @Test
    void when_attemptIsLaunchedTwice_then_theSecondLaunchIsIgnored() {
        runner = runner(config());
        TaskLaunch launch = aLaunch("sleep", "300").build();

        runner.launch(launch);
        runner.launch(launch);

        await().atMost(WAIT).until(() -> !reportsOf(launch).isEmpty());
        assertThat(runner.running()).isEqualTo(1);
        runner.cancel(launch.attemptId());
        awaitTerminal(launch);
        assertThat(reportsOf(launch)).extracting(TaskReport::outcome)
                .containsExactly(TaskState.RUNNING, TaskState.CANCELLED);
    }

    @Test
    void when_runnerCloses_then_everyAttemptIsKilledAndGivenBackUnchargedAsShutdown() {
        runner = runner(config().withKeepWorkDirs(true));
        List<TaskLaunch> launches = IntStream.range(0, 3)
                .mapToObj(i -> aLaunch("sh", "-c", WITH_GRANDCHILD).build())
                .toList();
        launches.forEach(runner::launch);
        List<Long> pids = launches.stream().flatMap(l -> awaitPids(l, 2).stream()).toList();

        runner.close();

        for (TaskLaunch launch : launches) {
            TaskReport last = reportsOf(launch).get(reportsOf(launch).size() - 1);
            assertThat(last.outcome()).isEqualTo(TaskState.CANCELLED);
            assertThat(last.reason()).isEqualTo("agent shutting down");
            assertThat(last.evicted()).as("not the task's fault: requeued without charge").isTrue();
        }
        assertThat(pids).hasSize(6).noneMatch(ProcessRunnerTest::isRunning);
        assertThat(runner.running()).isZero();

        TaskLaunch late = aLaunch("echo", "too late").build();
        runner.launch(late);
        assertThat(reportsOf(late)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(TaskState.CANCELLED);
            assertThat(r.reason()).isEqualTo("agent shutting down");
            assertThat(r.evicted()).isTrue();
        });
    }

    // ---- suspension

    @Test
    void when_aTaskIsSuspended_then_itsTimeoutStandsStillUntilItIsResumed() {
        runner = new ProcessRunner(config(), reports::add, Clock.systemUTC());
        TaskLaunch launch = aLaunch("sleep", "30").timeoutMillis(1_500).build();
        runner.launch(launch);
        await().atMost(WAIT).until(() -> reportsOf(launch).size() == 1);

        assertThat(runner.suspendAll()).isEqualTo(1);
        // Three seconds suspended, twice the timeout: still not timed out.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> reportsOf(launch).size() == 1);
        long resumedAt = System.nanoTime();
        assertThat(runner.resumeAll()).isEqualTo(1);

        TaskReport done = awaitTerminal(launch);
        long afterResume = (System.nanoTime() - resumedAt) / 1_000_000;
        assertThat(done.outcome()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(afterResume).as("the rest of the timeout, after the resumption").isBetween(100L, 3_000L);
    }

    // ---- fixtures

    private ProcessRunner.Config config() {
        return ProcessRunner.Config.defaults(root, "agent-1");
    }

    private ProcessRunner runner(ProcessRunner.Config config) {
        return new ProcessRunner(config, reports::add, fixedClock());
    }

    private static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private static LaunchBuilder aLaunch(String... argv) {
        return new LaunchBuilder(argv);
    }

    /** A first attempt of task 0 of a new job {@code j-N}. */
    private static final class LaunchBuilder {
        private final List<String> argv;
        private final List<String> env = new ArrayList<>();
        private final Map<String, String> files = new LinkedHashMap<>();
        private long timeoutMillis;

        LaunchBuilder(String... argv) {
            this.argv = List.of(argv);
        }

        LaunchBuilder env(String... entries) {
            env.addAll(Arrays.asList(entries));
            return this;
        }

        LaunchBuilder file(String path, String text) {
            files.put(path, text);
            return this;
        }

        LaunchBuilder timeoutMillis(long millis) {
            timeoutMillis = millis;
            return this;
        }

        TaskLaunch build() {
            String job = "j-" + JOBS.incrementAndGet();
            return new TaskLaunch(job + "/0", job, job + "/0@1", 1, argv, env, files, timeoutMillis, Resources.DEFAULT,
                    NetworkAccess.ALLOWED);
        }
    }

    private Path attemptDir(TaskLaunch launch) {
        return root.resolve(launch.jobId()).resolve("0-a" + launch.attempt());
    }

    private List<TaskReport> reportsOf(TaskLaunch launch) {
        return reports.stream().filter(r -> r.attemptId().equals(launch.attemptId())).toList();
    }

    private TaskReport awaitTerminal(TaskLaunch launch) {
        return await().atMost(WAIT).until(
                () -> reportsOf(launch).stream().filter(r -> r.outcome().isTerminal()).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** Waits until the task (run with kept work dirs) printed {@code count} pids to its stdout file. */
    private List<Long> awaitPids(TaskLaunch launch, int count) {
        Path stdout = attemptDir(launch).resolve(ProcessRunner.STDOUT_FILE);
        return await().atMost(WAIT).until(() -> Files.exists(stdout) ? pids(Files.readString(stdout)) : List.of(),
                pids -> pids.size() == count);
    }

    private List<Long> pids(String stdout) {
        List<Long> pids = stdout.lines().filter(l -> l.matches("\\d+")).map(Long::parseLong).toList();
        pidsToReap.addAll(pids);
        return pids;
    }

    private static Map<String, String> parseEnv(String stdout) {
        Map<String, String> env = new LinkedHashMap<>();
        stdout.lines().forEach(line -> {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        });
        return env;
    }

    /** Alive and not a zombie: PID 1 of a container may never reap the orphans the kill leaves dead. */
    private static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
