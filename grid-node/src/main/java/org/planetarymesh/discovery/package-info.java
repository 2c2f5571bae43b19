/**
 * Finding the coordinators of a mesh on a LAN without a list of addresses (docs/adr/0015): a coordinator
 * advertises {@value org.planetarymesh.discovery.MdnsSession#SERVICE_TYPE} with mDNS/DNS-SD (JmDNS), its TXT
 * record naming the mesh and its CA fingerprint; nodes browse for adverts of their own mesh and CA.
 *
 * <p>mDNS is unauthenticated: an advert is only a hint where to connect, and the TLS handshake decides whom
 * to trust. The records and the matching ({@link org.planetarymesh.discovery.CoordinatorAdvert},
 * {@link org.planetarymesh.discovery.TxtRecord}, {@link org.planetarymesh.discovery.MeshSelector}) are pure;
 * the JmDNS wiring is thin. Nothing here imports Hazelcast: its discovery SPI is in the {@code hazelcast}
 * subpackage, so enrollment code can find a coordinator without a member.
 */
package org.planetarymesh.discovery;
