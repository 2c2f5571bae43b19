/**
 * Placement decisions, as pure functions of a read-only view of the cluster.
 *
 * <p>Nothing in this package touches Hazelcast, the network, files, processes or the clock: the
 * coordinator builds a {@link org.planetarymesh.scheduler.ClusterView} and a list of
 * {@link org.planetarymesh.scheduler.TaskRequest}s from its maps, asks the
 * {@link org.planetarymesh.scheduler.PlacementPolicy} and applies the
 * {@link org.planetarymesh.scheduler.Decision}s it gets back.
 */
package org.planetarymesh.scheduler;
