package org.planetarymesh.agent;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.planetarymesh.jobs.TaskLaunch;
import org.planetarymesh.sandbox.AttemptCgroup;
import org.planetarymesh.sandbox.CgroupDriver;
import org.planetarymesh.sandbox.Outcomes;
import org.planetarymesh.sandbox.Sandbox;
import org.planetarymesh.sandbox.SandboxRefusal;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.owner.OwnerWatch;
import org.planetarymesh.submitter.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task attempts as OS processes and reports on them: one {@code RUNNING} report once the process started,
 * then exactly one terminal report ({@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code CANCELLED}),
 * even when natural exit, timeout, {@link #cancel} and {@link #close} race.
 *
 * <h2>One attempt</h2>
 * <ul>
 *   <li>A fresh directory {@code <workRoot>/<jobId>/<task>-a<attempt>} (ids sanitized) holds the inline files,
 *       {@code tmp/}, and the files {@value #STDOUT_FILE} and {@value #STDERR_FILE} that take
 *       the process's output (files, not pipes: no reader threads, and a grandchild that keeps the descriptors open
 *       blocks nothing). stdin is {@code /dev/null}. The directory is deleted after the terminal report unless
 *       {@link Config#keepWorkDirs()}.</li>
 *   <li>The environment is built from scratch, nothing of the agent's leaks: {@code PATH} and {@code LANG} (the
 *       agent's values, else {@value #DEFAULT_PATH} and {@value #DEFAULT_LANG}), {@code HOME} = the directory,
 *       {@code TMPDIR} = its {@code tmp/}, then the launch's {@code KEY=value} entries (which may override those),
 *       then {@value #ENV_TASK_ID}, {@value #ENV_ATTEMPT_ID} and {@value #ENV_WORK_DIR} (which may not).</li>
 *   <li>{@code argv[0]} is looked up on the task's {@code PATH} (or against the directory when it holds a
 *       {@code /}); a program that is not there fails the attempt with "cannot start: ...", no process started.</li>
 *   <li>{@code timeoutMillis <= 0} means no timeout. Reports carry the head of stdout and stderr (at most
 *       {@link Config#maxOutputBytes()} each, then a truncation marker). A report of an attempt that never started
 *       has {@code startedAt == 0}; {@code exitCode} is null unless the process exited by itself.</li>
 * </ul>
 *
 * <h2>Killing the process tree</h2>
 * On Linux with {@code /usr/bin/setsid} the task is started as {@code setsid <program> ...}: the JVM's child is
 * never a group leader, so setsid does not fork, it makes the child leader of a new session and process group
 * (pgid == pid) and execs the program. A kill (timeout, cancel, close) then
 * <ol>
 *   <li>snapshots the tree: the process, its {@link ProcessHandle#descendants()}, every member of its process
 *       group and every process whose initial environment holds {@code MESH_ATTEMPT_ID=<attemptId>};</li>
 *   <li>SIGKILLs the process group ({@code kill -KILL -- -<pgid>}, atomic, while the leader is alive) and every
 *       process of the snapshot (catching descendants that moved to another group);</li>
 *   <li>waits, bounded, for all of them to be gone, and sweeps again for anything forked in between.</li>
 * </ol>
 * Caught: children, grandchildren, {@code ( cmd & )} double forks (they keep the group), {@code ( setsid cmd & )}
 * daemons (they keep the environment). After a natural exit the report goes first and then the process group is
 * swept, so background processes left in the group are killed too; the environment scan (milliseconds per attempt
 * on a busy host) is skipped there, so a {@code setsid} daemon of a task that exited by itself survives until step
 * 4's cgroups. <b>Not caught</b>: a process that left the tree and the group <em>and</em> exec'd with a
 * scrubbed environment (e.g. {@code setsid env -i cmd &}); only a cgroup per attempt catches that. Without setsid
 * the task shares the agent's group and is never group-killed; the tree and environment sweeps still apply.
 *
 * <h2>Threads</h2>
 * No thread per process: {@link Process#onExit()} signals exits, one scheduler thread fires timeouts, and two
 * worker threads start processes (directory, files, {@link ProcessBuilder#start()}) and finish attempts (kill,
 * read output, report, delete), so {@link #launch} returns at once.
 *
 * <p>Launch cost: the launcher script starts the agent JVM with {@code -Djdk.lang.Process.launchMechanism=VFORK},
 * which spares the extra exec of {@code jspawnhelper} that JDK 17's default {@code POSIX_SPAWN} does on every
 * start. Newer JDKs deprecate VFORK; drop the flag when moving past 17.
 */
public final class ProcessRunner implements AutoCloseable, OwnerWatch.RunningTasks {

    /** Names the task's id in the task's environment. */
    public static final String ENV_TASK_ID = "MESH_TASK_ID";
    /** Names the attempt's id in the task's environment; it also marks the attempt's processes for the kill. */
    public static final String ENV_ATTEMPT_ID = "MESH_ATTEMPT_ID";
    /** Names the agent in the task's environment; marks every process it started, for the sweep after a crash. */
    public static final String ENV_NODE = "MESH_NODE";
    /** Names the attempt's working directory in the task's environment. */
    public static final String ENV_WORK_DIR = "MESH_WORK_DIR";
    /** The file in the attempt's directory that takes the process's stdout. */
    public static final String STDOUT_FILE = AttemptDirectory.STDOUT;
    /** The file in the attempt's directory that takes the process's stderr. */
    public static final String STDERR_FILE = AttemptDirectory.STDERR;

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    static final String DEFAULT_LANG = "C.UTF-8";
    static final String SHUTTING_DOWN = "agent shutting down";
    static final String CANCELLED_ON_REQUEST = "cancelled on request";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final int WORKER_THREADS = 2;
    private static final long DISK_CHECK_MILLIS = 1_000;
    private static final File DEV_NULL = new File("/dev/null");

    /**
     * How the runner works on this node.
     *
     * @param workRoot       where the attempts' directories are made
     * @param nodeName       the node named in reports and logs
     * @param maxOutputBytes how much of stdout and of stderr a report carries
     * @param keepWorkDirs   keep each attempt's directory after it ended (for debugging)
     * @param sandbox        the layers around each attempt ({@link Sandbox#none()}: a bare process)
     */
    public record Config(Path workRoot, String nodeName, int maxOutputBytes, boolean keepWorkDirs, Sandbox sandbox) {

        /** 64 KiB per stream. */
        public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

        public Config {
            Objects.requireNonNull(workRoot, "workRoot");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(sandbox, "sandbox");
            if (maxOutputBytes < 0) {
                throw new IllegalArgumentException("maxOutputBytes must be >= 0: " + maxOutputBytes);
            }
        }

        /** 64 KiB of output per stream, work directories deleted. */
        public static Config defaults(Path workRoot, String nodeName) {
            return new Config(workRoot, nodeName, DEFAULT_MAX_OUTPUT_BYTES, false, Sandbox.none());
        }

        public Config withMaxOutputBytes(int bytes) {
            return new Config(workRoot, nodeName, bytes, keepWorkDirs, sandbox);
        }

        public Config withKeepWorkDirs(boolean keep) {
            return new Config(workRoot, nodeName, maxOutputBytes, keep, sandbox);
        }

        public Config withSandbox(Sandbox value) {
            return new Config(workRoot, nodeName, maxOutputBytes, keepWorkDirs, value);
        }
    }

    private final Config config;
    private final Consumer<TaskReport> reports;
    private final Clock clock;
    private final Optional<Path> setsid;
    private final Map<String, String> baseEnv;
    private final ProcessTree tree = new ProcessTree();
    private final ConcurrentHashMap<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, threads("mesh-process-worker"));
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads("mesh-process-timer"));
    private final AtomicBoolean closed = new AtomicBoolean();

    public ProcessRunner(Config config, Consumer<TaskReport> reports, Clock clock) {
        this(config, reports, clock, Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable));
    }

    /** With an explicit setsid (empty: start tasks directly), so tests can run the fallback. */
    ProcessRunner(Config config, Consumer<TaskReport> reports, Clock clock, Optional<Path> setsid) {
        this.config = Objects.requireNonNull(config, "config");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.setsid = setsid;
        // A timeout cancelled by an exit must not keep its attempt (and the launch's files) in memory until it is due.
        timer.setRemoveOnCancelPolicy(true);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse(DEFAULT_PATH));
        env.put("LANG", Optional.ofNullable(System.getenv("LANG")).orElse(DEFAULT_LANG));
        this.baseEnv = Map.copyOf(env);
        if (setsid.isEmpty()) {
            LOG.info("setsid not found: tasks share the agent's process group node={}", config.nodeName());
        }
    }

    /**
     * Starts the attempt in the background and returns at once. A launch whose attempt id is already running is
     * ignored (a redelivered dispatch); a launch after {@link #close} is reported {@code CANCELLED}.
     */
    public void launch(TaskLaunch launch) {
        Objects.requireNonNull(launch, "launch");
        Attempt attempt = new Attempt(launch);
        if (attempts.putIfAbsent(launch.attemptId(), attempt) != null) {
            LOG.warn("attempt already known, launch ignored task={} attempt={} node={}",
                    launch.taskId(), launch.attemptId(), config.nodeName());
            return;
        }
        // Read after the put: either close() sees this attempt, or this sees close().
        if (closed.get()) {
            attempt.evict(SHUTTING_DOWN);
            attempt.runningReported.complete(null);
            finish(attempt);
            return;
        }
        try {
            workers.execute(() -> start(attempt));
        } catch (RejectedExecutionException e) {
            attempt.evict(SHUTTING_DOWN);
            attempt.runningReported.complete(null);
            finish(attempt);
        }
    }

    /**
     * Gives a launch back without starting it (the node stopped taking work before the dispatch arrived): reported
     * {@code CANCELLED} and evicted, so the scheduler requeues it elsewhere without charge.
     */
    public void refuse(TaskLaunch launch, String reason) {
        Attempt attempt = new Attempt(launch);
        if (attempts.putIfAbsent(launch.attemptId(), attempt) != null) {
            return;
        }
        attempt.evict(reason);
        attempt.runningReported.complete(null);
        finish(attempt);
    }

    /**
     * CPU time the tasks of this runner used, ever, in nanoseconds: their cgroups' total where cgroups exist, else
     * the reaped children's CPU of this JVM plus the running trees' (close to monotonic: a task's time moves from
     * the second to the first when it ends).
     */
    public long tasksCpuNanos() {
        long fromCgroups = config.sandbox().cgroups().map(CgroupDriver::totalCpuNanos).orElse(-1L);
        if (fromCgroups >= 0) {
            return fromCgroups;
        }
        long running = 0;
        for (Attempt attempt : attempts.values()) {
            Process process = attempt.process;
            if (process != null && process.isAlive()) {
                running += cpuNanos(process.toHandle());
                running += process.descendants().mapToLong(ProcessRunner::cpuNanos).sum();
            }
        }
        return ProcessTree.reapedChildrenCpuNanos() + running;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * Kills the attempt's process tree and reports it {@code CANCELLED}.
     *
     * @return true when this call decided the attempt's outcome; false when the attempt is unknown or already ended
     */
    public boolean cancel(String attemptId) {
        Attempt attempt = attempts.get(attemptId);
        if (attempt == null) {
            return false;
        }
        Phase was = attempt.claim(TaskState.CANCELLED, null, CANCELLED_ON_REQUEST);
        if (was == Phase.RUNNING) {
            finishLater(attempt);
        }
        // Claimed while STARTING: the worker that starts it sees that and finishes it.
        return was != null;
    }

    /**
     * Kills the processes an earlier run of this agent left behind (it was killed and could not reap them): they
     * carry its {@value #ENV_NODE}. Their attempts were requeued when the node left the mesh. Call before the
     * first launch.
     *
     * @return how many processes were killed
     */
    public int killOrphansOfEarlierRun() {
        ProcessTree.Result result = tree.killMarked(ENV_NODE + "=" + config.nodeName(), KILL_GRACE);
        if (!result.killed().isEmpty()) {
            LOG.info("killed orphans of an earlier run node={} pids={} survivors={}", config.nodeName(),
                    result.killed(), result.survivors());
        }
        return result.killed().size();
    }

    /**
     * Stops every running attempt where it stands (the owner needs the machine): its cgroup frozen, or SIGSTOP to
     * its process group and tree. Returns how many were suspended.
     */
    @Override
    public int suspendAll() {
        return pauseAll(true);
    }

    /** Lets every suspended attempt run on; returns how many were resumed. */
    @Override
    public int resumeAll() {
        return pauseAll(false);
    }

    /**
     * Gives every attempt back to the mesh: killed and reported {@code CANCELLED} with {@code evicted}, so the
     * scheduler requeues it elsewhere without counting a failure. Returns how many were evicted.
     */
    @Override
    public int evictAll(String reason) {
        int evicted = 0;
        for (Attempt attempt : attempts.values()) {
            Phase was = attempt.evict(reason);
            if (was == Phase.RUNNING) {
                attempt.suspended = false;
                finishLater(attempt);
            }
            if (was != null) {
                evicted++;
                LOG.info("attempt evicted task={} attempt={} node={} reason={}", attempt.launch.taskId(),
                        attempt.launch.attemptId(), config.nodeName(), reason);
            }
        }
        return evicted;
    }

    private int pauseAll(boolean stop) {
        int changed = 0;
        for (Attempt attempt : attempts.values()) {
            Process process = attempt.process;
            if (attempt.stage.get().phase != Phase.RUNNING || process == null || attempt.suspended == stop) {
                continue;
            }
            boolean frozen = attempt.cgroup().map(cg -> cg.freeze(stop)).orElse(false);
            if (!frozen) {
                tree.signal(stop ? "STOP" : "CONT", process.toHandle(), setsid.isPresent() ? process.pid() : -1,
                        ENV_ATTEMPT_ID + "=" + attempt.launch.attemptId());
            }
            attempt.suspended = stop;
            holdTimeout(attempt, stop);
            changed++;
            LOG.info("attempt {} task={} attempt={} node={} by={}", stop ? "suspended" : "resumed",
                    attempt.launch.taskId(), attempt.launch.attemptId(), config.nodeName(),
                    frozen ? "freezer" : "signals");
        }
        return changed;
    }

    /**
     * A suspended attempt's wall-clock timeout stands still: the owner's time is not the task's. Stopped with what
     * was left on suspension, started again with that on resumption.
     */
    private void holdTimeout(Attempt attempt, boolean stop) {
        long now = System.nanoTime();
        if (stop) {
            ScheduledFuture<?> timeout = attempt.timeout;
            if (timeout != null && timeout.cancel(false)) {
                attempt.timeoutLeftNanos = Math.max(0, attempt.timeoutDueNanos - now);
            }
        } else if (attempt.timeoutLeftNanos > 0) {
            long left = attempt.timeoutLeftNanos;
            attempt.timeoutLeftNanos = 0;
            attempt.timeoutDueNanos = now + left;
            try {
                attempt.timeout = timer.schedule(() -> onTimeout(attempt), left, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing: close() ends the attempt
            }
        }
    }

    /** How many attempts are suspended now. */
    @Override
    public int suspended() {
        return (int) attempts.values().stream().filter(a -> a.suspended).count();
    }

    /** How many attempts are starting or running. */
    @Override
    public int running() {
        return runningAttemptIds().size();
    }

    /** The ids of every attempt this runner holds, in any phase until it is done with it. */
    public Set<String> knownAttemptIds() {
        return Set.copyOf(attempts.keySet());
    }

    /** The ids of the attempts that are starting or running. */
    public Set<String> runningAttemptIds() {
        return attempts.values().stream()
                .filter(a -> a.stage.get().phase != Phase.ENDED)
                .map(a -> a.launch.attemptId())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Kills every attempt (reported {@code CANCELLED}, "agent shutting down"), waits for their reports and stops the
     * threads. Later launches are reported cancelled as well.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> finishing = new ArrayList<>();
        for (Attempt attempt : attempts.values()) {
            if (attempt.evict(SHUTTING_DOWN) == Phase.RUNNING) {
                finishing.add(CompletableFuture.runAsync(() -> finish(attempt), workers));
            }
        }
        // Attempts claimed while STARTING are finished by their queued start task, which still runs.
        workers.shutdown();
        timer.shutdownNow();
        try {
            CompletableFuture.allOf(finishing.toArray(CompletableFuture[]::new))
                    .get(KILL_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
            if (!workers.awaitTermination(KILL_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                LOG.warn("process workers did not stop in time node={}", config.nodeName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("attempts did not finish in time node={}: {}", config.nodeName(), e.toString());
        }
    }

    // ---- one attempt's life

    private void start(Attempt attempt) {
        boolean mustFinish;
        try {
            mustFinish = startProcess(attempt);
        } finally {
            attempt.runningReported.complete(null);
        }
        if (mustFinish) {
            finish(attempt);
        }
    }

    /** @return true when the attempt already ended (start failed or cancelled meanwhile) and the caller finishes it */
    private boolean startProcess(Attempt attempt) {
        TaskLaunch launch = attempt.launch;
        if (closed.get()) {
            attempt.evict(SHUTTING_DOWN);
        }
        if (attempt.stage.get().phase == Phase.ENDED) {
            return true;
        }
        Process process;
        try {
            Path dir = AttemptDirectory.create(config.workRoot(), launch);
            attempt.dir = dir;
            AttemptDirectory.writeFiles(dir, launch.files());
            Map<String, String> env = environment(launch, dir);
            if (launch.argv().isEmpty()) {
                throw new IllegalArgumentException("empty argv");
            }
            Sandbox.Prepared prepared = config.sandbox().prepare(Sandbox.limits("attempt-" + AttemptDirectory.safeName(
                    launch.attemptId()), dir, launch.resources(), launch.network(), launch.timeoutMillis()));
            attempt.sandboxed = prepared;
            List<String> command = new ArrayList<>();
            setsid.ifPresent(s -> command.add(s.toString()));
            command.addAll(prepared.plan().prefix());
            command.add(resolveProgram(launch.argv().get(0), dir, env.get("PATH")).toString());
            command.addAll(launch.argv().subList(1, launch.argv().size()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(dir.resolve(AttemptDirectory.STDOUT).toFile())
                    .redirectError(dir.resolve(AttemptDirectory.STDERR).toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException | IllegalArgumentException | SandboxRefusal e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            attempt.claim(TaskState.FAILED, null, "cannot start: " + message);
            return true;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure starting task={} attempt={} node={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), e);
            attempt.claim(TaskState.FAILED, null, "cannot start: " + e);
            return true;
        }
        attempt.process = process;
        attempt.startedAt = clock.millis();
        if (!attempt.stage.compareAndSet(Stage.STARTING, Stage.RUNNING)) {
            return true; // cancelled while starting: kill what was just started
        }
        LOG.debug("attempt started task={} attempt={} node={} pid={}",
                launch.taskId(), launch.attemptId(), config.nodeName(), process.pid());
        emit(TaskReport.running(launch.taskId(), launch.attemptId(), config.nodeName(), attempt.startedAt));
        if (launch.timeoutMillis() > 0) {
            try {
                attempt.timeoutDueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(launch.timeoutMillis());
                attempt.timeout = timer.schedule(() -> onTimeout(attempt), launch.timeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing: close() claims and kills the attempt
            }
        }
        process.onExit().thenRun(() -> onExit(attempt));
        if (launch.resources() != null && attempt.dir != null) {
            try {
                attempt.diskCheck = timer.scheduleWithFixedDelay(() -> checkDisk(attempt), DISK_CHECK_MILLIS,
                        DISK_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
        return false;
    }

    private void onExit(Attempt attempt) {
        int code = attempt.process.exitValue();
        Phase was = code == 0
                ? attempt.claim(TaskState.SUCCEEDED, 0, "")
                : attempt.claim(TaskState.FAILED, code, failureReason(attempt, code));
        if (was == Phase.RUNNING) {
            finishLater(attempt);
        }
    }

    /** "exit code N", or the limit the attempt met when one explains the exit. */
    private String failureReason(Attempt attempt, int code) {
        Sandbox.Prepared prepared = attempt.sandboxed;
        if (prepared == null) {
            return "exit code " + code;
        }
        boolean memory = attempt.cgroup().map(AttemptCgroup::memoryLimitHit).orElse(false);
        boolean processes = attempt.cgroup().map(AttemptCgroup::processLimitHit).orElse(false);
        return Outcomes.explain(code, memory, processes, prepared.plan(), attempt.launch.resources())
                .orElse("exit code " + code);
    }

    /** Stops an attempt whose work directory outgrew its disk limit (many files, each under the file-size cap). */
    private void checkDisk(Attempt attempt) {
        if (attempt.stage.get().phase != Phase.RUNNING) {
            return;
        }
        long limit = attempt.launch.resources().diskBytes();
        long used = AttemptDirectory.size(attempt.dir, limit);
        if (used > limit && attempt.claim(TaskState.FAILED, null, Outcomes.diskQuotaExceeded(used, limit))
                == Phase.RUNNING) {
            finishLater(attempt);
        }
    }

    private void onTimeout(Attempt attempt) {
        String reason = "timed out after " + formatMillis(attempt.launch.timeoutMillis());
        if (attempt.claim(TaskState.TIMED_OUT, null, reason) == Phase.RUNNING) {
            finishLater(attempt);
        }
    }

    private void finishLater(Attempt attempt) {
        try {
            workers.execute(() -> finish(attempt));
        } catch (RejectedExecutionException e) {
            finish(attempt); // closing: finish on the calling thread
        }
    }

    /** Runs once per attempt, after the claim that ended it: kill, read output, report, clean up. */
    private void finish(Attempt attempt) {
        TaskLaunch launch = attempt.launch;
        End end = attempt.stage.get().end;
        ScheduledFuture<?> timeout = attempt.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        ScheduledFuture<?> diskCheck = attempt.diskCheck;
        if (diskCheck != null) {
            diskCheck.cancel(false);
        }
        Optional<AttemptCgroup> cgroup = attempt.cgroup();
        Process process = attempt.process;
        // A process that exited by itself is reported first and swept after: leftovers must go, but the
        // result should not wait for the sweep. A killed one is swept first, so its report means "gone".
        boolean exitedByItself = end.exitCode != null;
        if (process != null && !exitedByItself) {
            killTree(attempt, process, end);
        }
        CapturedOutput stdout = CapturedOutput.NONE;
        CapturedOutput stderr = CapturedOutput.NONE;
        if (attempt.dir != null && process != null) {
            try {
                stdout = CapturedOutput.read(attempt.dir.resolve(AttemptDirectory.STDOUT), config.maxOutputBytes());
                stderr = CapturedOutput.read(attempt.dir.resolve(AttemptDirectory.STDERR), config.maxOutputBytes());
            } catch (IOException e) {
                LOG.warn("cannot read output task={} attempt={} node={}: {}",
                        launch.taskId(), launch.attemptId(), config.nodeName(), e.toString());
            }
        }
        TaskReport report = new TaskReport(launch.taskId(), launch.attemptId(), config.nodeName(), end.outcome,
                end.exitCode, stdout.text(), stderr.text(), stdout.truncated() || stderr.truncated(),
                attempt.startedAt, end.at, end.reason, end.evicted,
                cgroup.map(AttemptCgroup::cpuMillis).orElse(-1L), cgroup.map(AttemptCgroup::peakMemoryBytes).orElse(-1L));
        logEnd(attempt, end, process);
        // After the RUNNING report, whichever thread emits that one.
        attempt.runningReported.thenRun(() -> emit(report));
        if (process != null && exitedByItself) {
            killTree(attempt, process, end);
        }
        cgroup.ifPresent(AttemptCgroup::close);
        if (attempt.dir != null && !config.keepWorkDirs() && !AttemptDirectory.delete(attempt.dir)) {
            LOG.warn("cannot delete work dir task={} attempt={} node={} dir={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), attempt.dir);
        }
        attempts.remove(launch.attemptId(), attempt);
    }

    private void killTree(Attempt attempt, Process process, End end) {
        TaskLaunch launch = attempt.launch;
        long groupId = setsid.isPresent() ? process.pid() : -1;
        // After a normal exit only the process group is swept: reading every process's environment for the
        // attempt's marker costs milliseconds per attempt, which is paid only when the mesh kills a task.
        String cookie = end.exitCode != null && groupId > 0 ? null : ENV_ATTEMPT_ID + "=" + launch.attemptId();
        // The cgroup holds every process of the attempt, whatever group, session or environment it made itself.
        attempt.cgroup().ifPresent(AttemptCgroup::killAll);
        ProcessTree.Result result = tree.kill(process.toHandle(), groupId, cookie, KILL_GRACE);
        if (!result.survivors().isEmpty()) {
            LOG.warn("processes survived the kill task={} attempt={} node={} pids={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), result.survivors());
        } else if (!result.killed().isEmpty() && end.exitCode != null) {
            LOG.info("killed leftover processes after exit task={} attempt={} node={} pids={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), result.killed());
        } else if (!result.killed().isEmpty()) {
            LOG.debug("killed process tree task={} attempt={} node={} pids={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), result.killed());
        }
    }

    private void logEnd(Attempt attempt, End end, Process process) {
        TaskLaunch launch = attempt.launch;
        String pid = process == null ? "-" : Long.toString(process.pid());
        switch (end.outcome) {
            case SUCCEEDED -> LOG.debug("attempt succeeded task={} attempt={} node={} pid={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), pid);
            case CANCELLED -> LOG.info("attempt cancelled task={} attempt={} node={} pid={} reason={}",
                    launch.taskId(), launch.attemptId(), config.nodeName(), pid, end.reason);
            default -> LOG.warn("attempt {} task={} attempt={} node={} pid={} reason={}",
                    end.outcome == TaskState.TIMED_OUT ? "timed out" : "failed",
                    launch.taskId(), launch.attemptId(), config.nodeName(), pid, end.reason);
        }
    }

    private void emit(TaskReport report) {
        try {
            reports.accept(report);
        } catch (RuntimeException e) {
            LOG.error("report consumer failed task={} attempt={} node={}",
                    report.taskId(), report.attemptId(), config.nodeName(), e);
        }
    }

    // ---- pure helpers

    private Map<String, String> environment(TaskLaunch launch, Path dir) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("HOME", dir.toString());
        env.put("TMPDIR", dir.resolve(AttemptDirectory.TMP).toString());
        for (String entry : launch.env()) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid env entry: " + entry);
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        env.put(ENV_NODE, config.nodeName());
        env.put(ENV_TASK_ID, launch.taskId());
        env.put(ENV_ATTEMPT_ID, launch.attemptId());
        env.put(ENV_WORK_DIR, dir.toString());
        return env;
    }

    /** The program as the task's PATH finds it, or against the work dir when it holds a {@code /}. */
    static Path resolveProgram(String program, Path dir, String path) throws IOException {
        if (program.isEmpty()) {
            throw new IllegalArgumentException("empty program name");
        }
        if (program.contains("/")) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
            throw new IOException("program not found or not executable: " + program);
        }
        for (String entry : (path == null ? "" : path).split(":", -1)) {
            Path candidate = (entry.isEmpty() ? dir : dir.resolve(entry)).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("program not found: " + program);
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s}. */
    static String formatMillis(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- per-attempt state

    private enum Phase { STARTING, RUNNING, ENDED }

    /** How an attempt ended; {@code at} is when that was decided. */
    private record End(TaskState outcome, Integer exitCode, String reason, long at, boolean evicted) {
    }

    /** Phase and, once ended, the outcome: one immutable value so that one CAS decides both. */
    private record Stage(Phase phase, End end) {
        static final Stage STARTING = new Stage(Phase.STARTING, null);
        static final Stage RUNNING = new Stage(Phase.RUNNING, null);
    }

    private final class Attempt {
        final TaskLaunch launch;
        final AtomicReference<Stage> stage = new AtomicReference<>(Stage.STARTING);
        /** Completed once the RUNNING report went out, or once it is certain none will. */
        final CompletableFuture<Void> runningReported = new CompletableFuture<>();
        volatile Path dir;
        volatile Process process;
        volatile long startedAt;
        volatile ScheduledFuture<?> timeout;
        volatile ScheduledFuture<?> diskCheck;
        volatile Sandbox.Prepared sandboxed;
        volatile boolean suspended;
        volatile long timeoutDueNanos;
        /** Of a suspended attempt: what was left of its timeout when it was suspended; 0 otherwise. */
        volatile long timeoutLeftNanos;

        Attempt(TaskLaunch launch) {
            this.launch = launch;
        }

        /** The attempt's cgroup, once it started with one. */
        Optional<AttemptCgroup> cgroup() {
            Sandbox.Prepared prepared = sandboxed;
            return prepared == null ? Optional.empty() : prepared.cgroup();
        }

        /**
         * Decides the outcome unless one was decided already. Whoever claims from RUNNING finishes the attempt;
         * a claim from STARTING leaves that to the worker starting it.
         *
         * @return the phase the claim ended, or null when the attempt had already ended
         */
        Phase claim(TaskState outcome, Integer exitCode, String reason) {
            return claim(new End(outcome, exitCode, reason, clock.millis(), false));
        }

        /** Ends the attempt as given back to the mesh: killed, reported evicted, requeued without charge. */
        Phase evict(String reason) {
            return claim(new End(TaskState.CANCELLED, null, reason, clock.millis(), true));
        }

        private Phase claim(End end) {
            while (true) {
                Stage current = stage.get();
                if (current.phase == Phase.ENDED) {
                    return null;
                }
                if (stage.compareAndSet(current, new Stage(Phase.ENDED, end))) {
                    return current.phase;
                }
            }
        }
    }
}
