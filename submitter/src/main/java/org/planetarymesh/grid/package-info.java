/**
 * Internal: the contract between clients and grid nodes (object names). Not part of the public API.
 */
package org.planetarymesh.grid;
