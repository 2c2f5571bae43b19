package org.planetarymesh.enroll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.planetarymesh.security.IdentityFiles;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@code mesh agent --join HOST:PORT --token T} does before its member starts. */
public final class AgentJoin {
    private static final Logger LOG = LoggerFactory.getLogger(AgentJoin.class);
    static final int DEFAULT_MEMBER_PORT = 5701;

    private AgentJoin() {
    }

    /** How long enrollment and renewal wait to connect and for each read. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * An agent's TLS set-up.
     *
     * @param tlsDir  its identity directory; empty for a plaintext agent
     * @param renewal who renews its certificate; null for a plaintext agent
     */
    public record Identity(Optional<Path> tlsDir, CertificateRenewal.Signer renewal) {
    }

    /**
     * From the command line: with {@code token}, the identity directory is {@code tlsDir} or
     * {@link #defaultIdentityDir}, enrolled into first if it holds no identity; with only {@code tlsDir}, that
     * one. Either way renewals go to {@link #endpoints}. Neither: plaintext, as before enrollment existed.
     */
    public static Identity prepare(Path tlsDir, String name, String token, String enroll, List<String> join) {
        if (token == null && tlsDir == null) {
            return new Identity(Optional.empty(), null);
        }
        EnrollmentClient client = new EnrollmentClient(Clock.systemUTC(), TIMEOUT);
        List<Endpoint> endpoints = endpoints(enroll, join);
        Path dir = tlsDir != null ? tlsDir : defaultIdentityDir(name);
        if (token != null) {
            ensureIdentity(dir, name, token, endpoints, client);
        }
        return new Identity(Optional.of(dir), CertificateRenewal.remote(client, endpoints));
    }

    /** {@code $MESH_HOME/identity/<name>}: where an enrolled node keeps its key and certificates. */
    public static Path defaultIdentityDir(String name) {
        return MeshClientOptions.defaultStateDir().resolve("identity").resolve(name);
    }

    /**
     * The enrollment endpoints: {@code --enroll} if given, else each {@code --join} address with port + 100 (a
     * join address without a port means Hazelcast's default {@value #DEFAULT_MEMBER_PORT}, as for the member).
     */
    public static List<Endpoint> endpoints(String enroll, List<String> join) {
        if (enroll != null && !enroll.isBlank()) {
            return List.of(Endpoint.parse(enroll));
        }
        if (join.isEmpty()) {
            throw new MeshException("enrollment needs --join HOST:PORT of a coordinator (or --enroll HOST:PORT)");
        }
        return join.stream()
                .map(address -> address.matches(".*:\\d+") ? address : address + ":" + DEFAULT_MEMBER_PORT)
                .map(Endpoint::parse)
                .map(member -> member.plus(EnrollmentClient.PORT_OFFSET))
                .toList();
    }

    /**
     * Makes sure {@code dir} holds an identity: one already there is used as it is (the token is not); else the
     * node enrolls as {@code name} at the first endpoint that answers and writes {@code node.key} (0600),
     * {@code node.crt} and {@code ca.crt} into {@code dir}.
     *
     * @return true if it enrolled now
     * @throws MeshException with one line for people: bad token, unreachable endpoint, wrong CA, refusal
     */
    public static boolean ensureIdentity(Path dir, String name, String token, List<Endpoint> endpoints,
                                         EnrollmentClient client) {
        IdentityFiles.finishInterruptedReplace(dir);
        List<Path> files = Stream.of(MeshIdentity.KEY_FILE, MeshIdentity.CERT_FILE, MeshIdentity.CA_FILE)
                .map(dir::resolve).toList();
        if (files.stream().allMatch(Files::isRegularFile)) {
            MeshIdentity identity = MeshIdentity.load(dir);
            LOG.info("identity found dir={} node={} validUntil={}: the join token is not needed and not used", dir,
                    identity.name(), identity.certificate().getNotAfter().toInstant());
            return false;
        }
        if (files.stream().anyMatch(Files::exists)) {
            throw new MeshException(dir + " holds part of an identity (" + String.join(", ", files.stream()
                    .filter(Files::exists).map(f -> f.getFileName().toString()).toList())
                    + "): remove it to enroll again, or give --tls-dir another directory");
        }
        JoinToken parsed = JoinToken.parse(token);
        MeshException last = null;
        for (Endpoint endpoint : endpoints) {
            try {
                long started = System.nanoTime();
                client.enroll(endpoint, parsed, name).writeTo(dir);
                LOG.info("enrolled node={} at={} token={} dir={} ms={}", name, endpoint, parsed.id(), dir,
                        (System.nanoTime() - started) / 1_000_000);
                return true;
            } catch (EnrollmentClient.UnreachableException e) {
                last = e; // try the next coordinator; a refusal is thrown at once, another would refuse the same
            }
        }
        throw last;
    }
}
