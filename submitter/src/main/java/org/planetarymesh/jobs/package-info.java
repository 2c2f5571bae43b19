/**
 * Internal: job specs, sweep expansion and the records the mesh stores (Compact-serialized).
 * Shared by the submitter and the grid nodes; not part of the public API and may change.
 */
package org.planetarymesh.jobs;
