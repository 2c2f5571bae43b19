/**
 * Node health rules: pure decisions (no Hazelcast, no clock of their own) from what the leader observed
 * of a node to its {@link org.planetarymesh.submitter.NodeState}.
 */
package org.planetarymesh.health;
