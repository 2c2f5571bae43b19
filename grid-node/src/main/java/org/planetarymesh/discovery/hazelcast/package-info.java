/**
 * Hazelcast's discovery SPI backed by an {@link org.planetarymesh.discovery.MdnsBrowser}: members of a mesh find
 * its coordinators on the LAN with no static member list, while Hazelcast's own multicast join (plain UDP,
 * outside the TLS layer) stays off (docs/adr/0015).
 */
package org.planetarymesh.discovery.hazelcast;
