/**
 * The scheduler of the mesh: the leader loop and its wiring to Hazelcast.
 *
 * <p>{@link org.planetarymesh.scheduler.Scheduler} competes for the
 * {@link org.planetarymesh.scheduler.LeaderLock}; the winner runs one term per epoch, which feeds
 * events into the pure {@link org.planetarymesh.scheduler.policy.SchedulingState}, asks the
 * {@link org.planetarymesh.scheduler.policy.PlacementPolicy} where queued tasks go, writes what changed
 * through a {@link org.planetarymesh.scheduler.SchedulerStore} fenced by its epoch, and dispatches the
 * placed attempts to agents. The decisions themselves live in {@code scheduler.policy}; this package
 * reads and writes the maps, talks to members and owns the threads.
 */
package org.planetarymesh.scheduler;
