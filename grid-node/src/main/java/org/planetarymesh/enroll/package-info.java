/**
 * Joining a mesh with one command: join tokens, the enrollment endpoint on coordinators, and automatic
 * certificate renewal.
 *
 * <p>An admin creates a {@link org.planetarymesh.enroll.JoinToken} ({@code mesh token create}); the
 * {@link org.planetarymesh.enroll.TokenStore} next to the CA keeps its hash, expiry and uses. A new agent
 * makes its own key, checks that the coordinator's CA is the one the token names
 * ({@code CaPinningTrustManager}) and only then sends the token and a CSR to the coordinator's
 * {@code EnrollmentServer}, a small TLS 1.3 server apart from Hazelcast's port. {@code EnrollmentService}
 * decides: it checks the token and the name and signs with the mesh CA. Later, {@code CertificateRenewal}
 * renews a node's certificate over a mutually authenticated connection and swaps it into the running TLS
 * layer. See docs/adr/0014-join-tokens-and-enrollment.md. Nothing here imports Hazelcast: the coordinator
 * passes in what the endpoint needs to know about node names.
 */
package org.planetarymesh.enroll;
