/**
 * Mutual TLS for Hazelcast community edition, built on its internal networking hooks.
 *
 * <p>Not public API. Every use of Hazelcast's internal classes ({@code com.hazelcast.internal.networking},
 * {@code com.hazelcast.instance.impl}, {@code com.hazelcast.client.impl}) lives in this package, and its
 * tests are the guard for Hazelcast upgrades (the version is pinned to 5.7.0 in the root pom). The package
 * is split over two jars: the client half is in the submitter (clients have only that jar), the member half
 * is here.
 *
 * <ul>
 *   <li>{@code TlsChannelInitializer} (submitter) wraps a Hazelcast channel initializer: {@code TlsInboundHandler}
 *       first in the inbound pipeline, {@code TlsOutboundHandler} last in the outbound one, sharing one
 *       {@code TlsSession} (the SSLEngine) per channel.</li>
 *   <li>{@link org.planetarymesh.security.tls.TlsMembers#newMember} (here) starts a member whose every channel
 *       is TLS.</li>
 *   <li>{@code TlsClientExtension} (submitter, registered through {@code META-INF/services}) does the same for
 *       a Java client whose config carries an SSLContext, see {@code TlsClients.useTls}; other clients stay
 *       plaintext. {@code PemIdentity} (submitter) loads an issued bundle with the JDK alone.</li>
 * </ul>
 */
package org.planetarymesh.security.tls;
