/**
 * The owner's say over a contributor's machine (HTCondor-style owner policy): the node takes work only while
 * its owner leaves the machine idle ({@code --when-idle}) and is not paused, stops its tasks at once when the
 * owner comes back, and gives them up after a grace period.
 *
 * <p>{@link org.planetarymesh.owner.OwnerPolicy} and {@link org.planetarymesh.owner.OwnerLoad} decide and compute
 * and nothing else (no Hazelcast, no clock, no threads). {@link org.planetarymesh.owner.OwnerWatch} is the thin
 * loop that samples the load and applies the verdicts; {@link org.planetarymesh.owner.AgentControl} lets the
 * owner pause and resume the agent over a local Unix socket.
 */
package org.planetarymesh.owner;
