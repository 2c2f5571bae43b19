package org.planetarymesh.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The owner policy of a contributor's machine: from what the owner does (the host's CPU load that is not the
 * mesh's, and whether they paused the node) to whether the node takes work and what happens to its running tasks.
 * Pure: no clock, no threads, no processes; "now" and the load are passed in, one {@link #observe} per tick.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Owner active</b> when the load per core is at or above {@code idleLoadPerCore} (an unknown load,
 *       {@code NaN}, counts as active: when in doubt the machine is the owner's). Only with {@code whenIdle};
 *       without it the load is ignored and only a pause matters.</li>
 *   <li><b>Hysteresis</b>: new work only after {@code idleFor} of idle samples in a row; one busy sample
 *       restarts that period. Work stops at the first busy sample, starts only after a long quiet one, so a
 *       machine whose owner types in bursts does not flap between taking and refusing work.</li>
 *   <li><b>Owner back while tasks run</b>: they are suspended at once (SIGSTOP frees the CPU within a tick but
 *       keeps their progress), continued as soon as the owner is idle again, and evicted (requeued elsewhere,
 *       not counted as a failure) once they have been suspended for {@code evictAfter} in a row. Continuing
 *       needs no long idle because the tasks already hold their memory and slot and the load measured excludes
 *       them, so they cannot make the owner look busy; new work does wait for {@code idleFor} again.</li>
 *   <li><b>Pause</b> ({@code bin/mesh agent pause}) is the owner saying "not now": the same as the owner being
 *       active, whatever the load. An owner who pauses wants the machine back now, not when the running tasks
 *       happen to finish (they may run for hours), so new work stops at once and running tasks are suspended
 *       within the same tick; if the pause lasts past the grace they are evicted, so a long pause does not hold
 *       the mesh's work hostage nor the owner's memory. A short "not now" costs the tasks nothing but the
 *       pause itself.</li>
 *   <li><b>Resume</b> takes the pause away; with {@code whenIdle} the idle rule still applies (the idle period
 *       is timed through the pause, so a quiet machine takes work again at once).</li>
 * </ul>
 * Leaving ACCEPTING always goes through SUSPENDED, even when no task runs: the policy does not know the tasks,
 * and suspending none is harmless, whereas assuming none and being wrong would leave a task running on an
 * owner who asked for the machine. A late dispatch that arrives when the node no longer accepts is the agent's
 * to refuse ({@link Verdict#accepting()}).
 *
 * <p>Not thread-safe: one caller ticks it ({@link OwnerWatch} serialises its ticks).
 */
public final class OwnerPolicy {

    /**
     * @param idleLoadPerCore below this non-mesh CPU load per core (0..1) the owner counts as idle
     * @param idleFor         idle this long, without a busy sample, before the node takes work
     * @param evictAfter      tasks suspended this long in a row are evicted and requeued
     * @param whenIdle        {@code --when-idle}: take work only while the owner is idle; else only a pause matters
     */
    public record Settings(double idleLoadPerCore, Duration idleFor, Duration evictAfter, boolean whenIdle) {
        public static final double DEFAULT_IDLE_LOAD_PER_CORE = 0.3;
        public static final Duration DEFAULT_IDLE_FOR = Duration.ofMinutes(5);
        public static final Duration DEFAULT_EVICT_AFTER = Duration.ofMinutes(10);

        public Settings {
            Objects.requireNonNull(idleFor, "idleFor");
            Objects.requireNonNull(evictAfter, "evictAfter");
            if (!(idleLoadPerCore > 0 && idleLoadPerCore <= 1)) {
                throw new IllegalArgumentException("idle load per core must be above 0 and at most 1, not "
                        + idleLoadPerCore);
            }
            if (idleFor.isNegative() || evictAfter.isNegative()) {
                throw new IllegalArgumentException("idle-for and evict-after must not be negative");
            }
        }

        /** The defaults, with or without {@code --when-idle}. */
        public static Settings defaults(boolean whenIdle) {
            return new Settings(DEFAULT_IDLE_LOAD_PER_CORE, DEFAULT_IDLE_FOR, DEFAULT_EVICT_AFTER, whenIdle);
        }
    }

    /**
     * The outcome of one tick.
     *
     * @param state             the state after the tick
     * @param accepting         whether the node takes new work now
     * @param unavailableReason empty while accepting; else why not, for people (heartbeat, status)
     * @param action            what to do to the running tasks; not {@code NONE} only on the tick of a change
     */
    public record Verdict(OwnerState state, boolean accepting, String unavailableReason, OwnerAction action) {
    }

    public static final String PAUSED_REASON = "paused by its owner";

    private final Settings settings;
    private OwnerState state;
    /** Start of the current run of idle samples; null while the owner is active. Timed whatever the state. */
    private Instant idleSince;
    /** When the tasks were suspended; set only in SUSPENDED. */
    private Instant suspendedAt;

    public OwnerPolicy(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // Without --when-idle a fresh node takes work at once; with it, it first watches the owner for idleFor.
        this.state = settings.whenIdle() ? OwnerState.WAITING_FOR_IDLE : OwnerState.ACCEPTING;
    }

    public Settings settings() {
        return settings;
    }

    public OwnerState state() {
        return state;
    }

    /**
     * One tick: what the owner does now, and what follows.
     *
     * @param ownerLoadPerCore the host's CPU load per core that is not the mesh's (0..1); {@code NaN} if unknown
     * @param paused           whether the owner has paused the node
     */
    public Verdict observe(Instant now, double ownerLoadPerCore, boolean paused) {
        boolean ownerActive = settings.whenIdle() && !(ownerLoadPerCore < settings.idleLoadPerCore());
        if (ownerActive) {
            idleSince = null;
        } else if (idleSince == null) {
            idleSince = now;
        }
        Duration idle = idleSince == null ? Duration.ZERO : Duration.between(idleSince, now);
        boolean idleLongEnough = !settings.whenIdle() || (!ownerActive && idle.compareTo(settings.idleFor()) >= 0);
        boolean stop = ownerActive || paused;

        OwnerState next = switch (state) {
            case WAITING_FOR_IDLE, PAUSED -> paused ? OwnerState.PAUSED
                    : idleLongEnough ? OwnerState.ACCEPTING : OwnerState.WAITING_FOR_IDLE;
            case ACCEPTING -> stop ? OwnerState.SUSPENDED : OwnerState.ACCEPTING;
            case RESUMED -> stop ? OwnerState.SUSPENDED
                    : idleLongEnough ? OwnerState.ACCEPTING : OwnerState.RESUMED;
            // the owner leaving wins over the grace running out on the same tick: continuing beats evicting
            case SUSPENDED -> !stop ? (idleLongEnough ? OwnerState.ACCEPTING : OwnerState.RESUMED)
                    : graceOver(now) ? (paused ? OwnerState.PAUSED : OwnerState.WAITING_FOR_IDLE)
                    : OwnerState.SUSPENDED;
        };
        OwnerAction action = state.actionTo(next); // the one table: throws on a change it does not allow
        if (next == OwnerState.SUSPENDED && state != OwnerState.SUSPENDED) {
            suspendedAt = now;
        } else if (next != OwnerState.SUSPENDED) {
            suspendedAt = null;
        }
        state = next;
        return new Verdict(next, next.accepting(), reason(next, ownerActive, paused, ownerLoadPerCore, idle), action);
    }

    private boolean graceOver(Instant now) {
        return Duration.between(suspendedAt, now).compareTo(settings.evictAfter()) >= 0;
    }

    private String reason(OwnerState next, boolean ownerActive, boolean paused, double load, Duration idle) {
        if (next.accepting()) {
            return "";
        }
        if (paused) {
            return PAUSED_REASON;
        }
        if (ownerActive) {
            return Double.isNaN(load) ? "owner load unknown" : "owner active (load " + load(load) + "/core)";
        }
        return "waiting for " + duration(settings.idleFor()) + " of idle (" + duration(idle) + " so far)";
    }

    static String load(double perCore) {
        return String.format(Locale.ROOT, "%.2f", perCore);
    }

    /** Short and human: {@code 5m}, {@code 2m12s}, {@code 1h5m}, {@code 0s}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (sec > 0 || out.length() == 0) {
            out.append(sec).append('s');
        }
        return out.toString();
    }
}
