/**
 * The scheduler's decisions, as pure code: placement and the leader's working set.
 *
 * <p>Nothing in this package touches Hazelcast, the network, files, processes or the clock (every
 * "now" is an argument). The leader builds a {@link org.planetarymesh.scheduler.policy.ClusterView} and
 * {@link org.planetarymesh.scheduler.policy.TaskRequest}s from its working set, asks the
 * {@link org.planetarymesh.scheduler.policy.PlacementPolicy}, and applies the
 * {@link org.planetarymesh.scheduler.policy.Decision}s it gets back to the
 * {@link org.planetarymesh.scheduler.policy.SchedulingState}, whose changes it then writes out.
 * {@code PurePackagesTest} fails the build if a source file here imports {@code com.hazelcast}.
 */
package org.planetarymesh.scheduler.policy;
