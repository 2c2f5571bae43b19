/**
 * The mesh's certificate authority and the identities of its nodes.
 *
 * <p>{@link org.planetarymesh.security.MeshCa} creates and loads the mesh CA (EC P-256, self-signed) and
 * issues node certificates that carry the node's name and {@link org.planetarymesh.security.CertificateRole};
 * {@link org.planetarymesh.security.MeshIdentity} loads a node's key and certificates and builds the
 * {@link javax.net.ssl.SSLContext} that trusts the mesh CA only. {@link org.planetarymesh.security.MeshPeer}
 * reads name and role back from a peer's certificate. Nothing here touches Hazelcast: the TLS transport
 * and enrollment build on these classes. {@code CaCommands} is the thin CLI ({@code mesh ca init},
 * {@code mesh cert issue}).
 */
package org.planetarymesh.security;
