/**
 * The agent side of a grid node: runs the task attempts dispatched to it as OS processes and reports on them.
 * {@link org.planetarymesh.agent.ProcessRunner} is plain Java (no Hazelcast), wired to the cluster elsewhere.
 */
package org.planetarymesh.agent;
