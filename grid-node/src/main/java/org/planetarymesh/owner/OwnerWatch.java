package org.planetarymesh.owner;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin loop around {@link OwnerPolicy}: every tick it samples the owner's load, asks the policy, applies the
 * verdict to the running tasks and tells the agent whether it takes work. One line in the log per change of state.
 * {@link #pause()} and {@link #resume()} take effect at once, not at the next tick: "not now" means now.
 */
public final class OwnerWatch implements OwnerControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerWatch.class);
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    /** The agent's running tasks, as the watch needs them; every method returns how many tasks it touched. */
    public interface RunningTasks {
        /** Tasks running now (not suspended). */
        int running();

        /** Tasks stopped by {@link #suspendAll()} and not yet resumed or evicted. */
        int suspended();

        /** SIGSTOP every running task's whole process tree. */
        int suspendAll();

        /** SIGCONT every suspended task's tree. */
        int resumeAll();

        /**
         * Kill every task on this node (suspended ones included) and report each as evicted, to be requeued
         * elsewhere and not counted as a failure of the task.
         */
        int evictAll(String reason);
    }

    private final String node;
    private final OwnerPolicy policy;
    private final DoubleSupplier ownerLoad;
    private final RunningTasks tasks;
    private final Consumer<String> availability;
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private boolean paused;
    private double lastLoad = Double.NaN;
    private OwnerPolicy.Verdict last;
    private volatile boolean accepting;

    /**
     * @param ownerLoad    the owner's CPU load per core since the previous call, {@code NaN} if unknown (an
     *                     {@link OwnerLoadMeter}); called once per tick from the watch's thread only
     * @param availability told the unavailable reason ({@code ""} while accepting) whenever it changes: the agent
     *                     keeps the latest for its heartbeat. Called on the watch's thread, or the control
     *                     channel's for a pause or resume.
     */
    public OwnerWatch(String node, OwnerPolicy.Settings settings, DoubleSupplier ownerLoad, RunningTasks tasks,
                      Consumer<String> availability, Clock clock) {
        this.node = Objects.requireNonNull(node, "node");
        this.policy = new OwnerPolicy(settings);
        this.ownerLoad = Objects.requireNonNull(ownerLoad, "ownerLoad");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "owner-watch-" + node);
            thread.setDaemon(true);
            return thread;
        });
        this.accepting = policy.state().accepting();
    }

    /** Ticks every {@code every} on one daemon thread until {@link #close()}; the first tick comes at once. */
    public OwnerWatch start(Duration every) {
        ticker.scheduleWithFixedDelay(this::tickQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the node takes new work now: the agent asks before it starts a task dispatched to it. */
    public boolean accepting() {
        return accepting;
    }

    /** One tick: sample the load, decide, apply. */
    synchronized OwnerStatus tick() {
        lastLoad = ownerLoad.getAsDouble();
        return decide();
    }

    @Override
    public synchronized OwnerStatus pause() {
        if (!paused) {
            paused = true;
            LOG.info("owner policy node={} pause requested by its owner", node);
        }
        return decide();
    }

    @Override
    public synchronized OwnerStatus resume() {
        if (paused) {
            paused = false;
            LOG.info("owner policy node={} resume requested by its owner", node);
        }
        return decide();
    }

    @Override
    public synchronized OwnerStatus status() {
        OwnerState state = policy.state();
        String reason = last == null ? (state.accepting() ? "" : "starting") : last.unavailableReason();
        return new OwnerStatus(node, state, state.accepting(), reason, tasks.running(), tasks.suspended(),
                Double.isNaN(lastLoad) ? null : lastLoad);
    }

    /** Decides on the last load (a pause or resume does not wait for a fresh sample) and applies the verdict. */
    private OwnerStatus decide() {
        OwnerState from = policy.state();
        OwnerPolicy.Verdict verdict = policy.observe(clock.instant(), lastLoad, paused);
        int touched = apply(verdict);
        if (verdict.state() != from) {
            LOG.info("owner policy node={} from={} to={} load={} action={} tasks={} reason={}", node, from,
                    verdict.state(), Double.isNaN(lastLoad) ? "unknown" : OwnerPolicy.load(lastLoad), verdict.action(),
                    touched, verdict.unavailableReason().isEmpty() ? "accepting" : verdict.unavailableReason());
        }
        accepting = verdict.accepting();
        if (last == null || !last.unavailableReason().equals(verdict.unavailableReason())) {
            availability.accept(verdict.unavailableReason());
        }
        last = verdict;
        return status();
    }

    private int apply(OwnerPolicy.Verdict verdict) {
        try {
            return switch (verdict.action()) {
                case NONE -> 0;
                case SUSPEND_RUNNING -> tasks.suspendAll();
                case RESUME_RUNNING -> tasks.resumeAll();
                case EVICT_RUNNING -> tasks.evictAll("evicted for the owner after "
                        + OwnerPolicy.duration(policy.settings().evictAfter()) + " suspended: "
                        + verdict.unavailableReason());
            };
        } catch (RuntimeException e) {
            // the state has moved on regardless: the next change will try the tasks again
            LOG.warn("owner policy node={} action={} failed reason={}", node, verdict.action(), e.toString());
            return 0;
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // a failed tick must not end the schedule: the owner's machine would stop being watched
            LOG.warn("owner policy node={} tick failed reason={}", node, e.toString());
        }
    }

    /** Stops watching; the tasks are left as they are (the agent stops them as it closes). */
    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
