/** Start-up of a grid node: the command line, its options and the Hazelcast member it creates. */
package org.planetarymesh.node;
