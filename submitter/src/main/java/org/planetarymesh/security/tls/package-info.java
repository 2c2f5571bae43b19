/**
 * Mutual TLS for Hazelcast community edition, client half: the channel layer and the Java client's hook.
 *
 * <p>Not public API. This package is split over two jars: the submitter carries what a Java client needs
 * ({@link org.planetarymesh.security.tls.TlsClients}, {@link org.planetarymesh.security.tls.TlsClientExtension},
 * registered in {@code META-INF/services}, the channel handlers and {@link org.planetarymesh.security.tls.PemIdentity},
 * a JDK-only loader of an issued bundle); grid-node adds the member half ({@code TlsMembers}). Every use of
 * Hazelcast's internal classes still lives in this one package; see grid-node's description of it.
 */
package org.planetarymesh.security.tls;
