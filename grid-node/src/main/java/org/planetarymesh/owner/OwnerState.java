package org.planetarymesh.owner;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Where the node stands with its owner. Every change goes through {@link #actionTo}, the one transition table,
 * which also says what the change does to the running tasks.
 *
 * <pre>
 * WAITING_FOR_IDLE ── idle for idleFor ──────────► ACCEPTING
 * WAITING_FOR_IDLE ── paused ────────────────────► PAUSED
 * ACCEPTING ───────── owner active or paused ────► SUSPENDED          SUSPEND_RUNNING
 * SUSPENDED ───────── owner idle, not paused ────► RESUMED            RESUME_RUNNING
 *                     (and idle for idleFor) ────► ACCEPTING          RESUME_RUNNING
 * SUSPENDED ───────── grace over ────────────────► WAITING_FOR_IDLE   EVICT_RUNNING
 *                     (while paused) ────────────► PAUSED             EVICT_RUNNING
 * RESUMED ─────────── idle for idleFor ──────────► ACCEPTING
 * RESUMED ─────────── owner active or paused ────► SUSPENDED          SUSPEND_RUNNING
 * PAUSED ──────────── unpaused ──────────────────► ACCEPTING (idle for idleFor) or WAITING_FOR_IDLE
 * </pre>
 *
 * A state that may hold mesh tasks (ACCEPTING, RESUMED) is never left for one that holds none but through
 * SUSPENDED, so no task is forgotten running; SUSPENDED is left either by resuming its tasks or by evicting them.
 */
public enum OwnerState {
    /** The owner used the machine lately (or it just started): no new work until idle for {@code idleFor}. */
    WAITING_FOR_IDLE(false),
    /** Idle long enough and not paused: the node takes work. */
    ACCEPTING(true),
    /** The owner is active or paused it: the running tasks are stopped, and evicted once the grace runs out. */
    SUSPENDED(false),
    /** The owner left again during the grace: the tasks run on, new work waits for {@code idleFor} of idle. */
    RESUMED(false),
    /** Paused by its owner, with nothing of the mesh on it: no work until resumed. */
    PAUSED(false);

    private static final Map<OwnerState, Map<OwnerState, OwnerAction>> TRANSITIONS = new EnumMap<>(OwnerState.class);

    static {
        allow(WAITING_FOR_IDLE, ACCEPTING, OwnerAction.NONE);
        allow(WAITING_FOR_IDLE, PAUSED, OwnerAction.NONE);
        allow(ACCEPTING, SUSPENDED, OwnerAction.SUSPEND_RUNNING);
        allow(SUSPENDED, RESUMED, OwnerAction.RESUME_RUNNING);
        allow(SUSPENDED, ACCEPTING, OwnerAction.RESUME_RUNNING);
        allow(SUSPENDED, WAITING_FOR_IDLE, OwnerAction.EVICT_RUNNING);
        allow(SUSPENDED, PAUSED, OwnerAction.EVICT_RUNNING);
        allow(RESUMED, ACCEPTING, OwnerAction.NONE);
        allow(RESUMED, SUSPENDED, OwnerAction.SUSPEND_RUNNING);
        allow(PAUSED, ACCEPTING, OwnerAction.NONE);
        allow(PAUSED, WAITING_FOR_IDLE, OwnerAction.NONE);
    }

    private final boolean accepting;

    OwnerState(boolean accepting) {
        this.accepting = accepting;
    }

    private static void allow(OwnerState from, OwnerState to, OwnerAction action) {
        TRANSITIONS.computeIfAbsent(from, f -> new EnumMap<>(OwnerState.class)).put(to, action);
    }

    /** True in the one state that takes new work. */
    public boolean accepting() {
        return accepting;
    }

    /** The states this one may change to (not including itself). */
    public Set<OwnerState> allowedNext() {
        return Set.copyOf(TRANSITIONS.get(this).keySet());
    }

    public boolean canChangeTo(OwnerState next) {
        return TRANSITIONS.get(this).containsKey(next);
    }

    /**
     * What changing to {@code next} does to the running tasks; staying is {@link OwnerAction#NONE}.
     *
     * @throws IllegalStateException if the table does not allow the change
     */
    public OwnerAction actionTo(OwnerState next) {
        if (next == this) {
            return OwnerAction.NONE;
        }
        OwnerAction action = TRANSITIONS.get(this).get(next);
        if (action == null) {
            throw new IllegalStateException("owner state " + this + " cannot change to " + next);
        }
        return action;
    }
}
