/**
 * Mutual TLS for Hazelcast community edition, built on its internal networking hooks.
 *
 * <p>Not public API. Every use of Hazelcast's internal classes ({@code com.hazelcast.internal.networking},
 * {@code com.hazelcast.instance.impl}, {@code com.hazelcast.client.impl}) lives in this package, and its
 * tests are the guard for Hazelcast upgrades (the version is pinned to 5.7.0 in the root pom).
 *
 * <ul>
 *   <li>{@link org.planetarymesh.security.tls.TlsChannelInitializer} wraps a Hazelcast channel initializer:
 *       {@link org.planetarymesh.security.tls.TlsInboundHandler} first in the inbound pipeline,
 *       {@link org.planetarymesh.security.tls.TlsOutboundHandler} last in the outbound one, sharing one
 *       {@link org.planetarymesh.security.tls.TlsSession} (the SSLEngine) per channel.</li>
 *   <li>{@link org.planetarymesh.security.tls.TlsMembers#newMember} starts a member whose every channel
 *       is TLS.</li>
 *   <li>{@link org.planetarymesh.security.tls.TlsClientExtension} (registered through
 *       {@code META-INF/services}) does the same for a Java client whose config carries an SSLContext,
 *       see {@link org.planetarymesh.security.tls.TlsClients#useTls}; other clients stay plaintext.</li>
 * </ul>
 */
package org.planetarymesh.security.tls;
