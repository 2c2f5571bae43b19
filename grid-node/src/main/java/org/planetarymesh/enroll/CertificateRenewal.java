package org.planetarymesh.enroll;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.IdentityFiles;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.SigningRequests;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running node's certificate fresh. At start and then every {@link #CHECK_EVERY} it asks
 * {@link RenewalPolicy} whether the certificate in the identity directory is due; if so it makes a new key,
 * has a {@link Signer} certify it with the same name and role, writes key and certificate crash-safely
 * ({@link IdentityFiles#replace}) and swaps them into the {@link ReloadableKeyManager} the node's TLS layer
 * presents from. Hazelcast is not restarted: open connections keep their session, new handshakes present the
 * new certificate. A failed renewal logs one warning and is tried again at the next check; it never stops the
 * node.
 */
public final class CertificateRenewal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewal.class);
    /** How often a running node looks at its certificate's remaining lifetime. */
    public static final Duration CHECK_EVERY = Duration.ofHours(1);

    /** Who certifies a renewal. */
    public interface Signer {
        /** A certificate for {@code keys}' public key with {@code current}'s name and role. */
        X509Certificate sign(MeshIdentity current, KeyPair keys, PKCS10CertificationRequest csr);

        /** For log lines: where renewals go. */
        String describe();
    }

    /** Renewal at the enrollment endpoints of coordinators, authenticated with the current certificate. */
    public static Signer remote(EnrollmentClient client, List<Endpoint> endpoints) {
        List<Endpoint> targets = List.copyOf(endpoints);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("renewal needs at least one enrollment endpoint");
        }
        return new Signer() {
            @Override
            public X509Certificate sign(MeshIdentity current, KeyPair keys, PKCS10CertificationRequest csr) {
                EnrollmentClient.UnreachableException last = null;
                for (Endpoint endpoint : targets) {
                    try {
                        return client.renew(endpoint, current, keys, csr);
                    } catch (EnrollmentClient.UnreachableException e) {
                        last = e;
                    }
                }
                throw last;
            }

            @Override
            public String describe() {
                return "endpoint " + targets.get(0) + (targets.size() > 1 ? " (+" + (targets.size() - 1) + ")" : "");
            }
        };
    }

    /** Renewal by the mesh CA itself, for a coordinator that holds it. */
    public static Signer localCa(MeshCa ca, Duration validity) {
        return new Signer() {
            @Override
            public X509Certificate sign(MeshIdentity current, KeyPair keys, PKCS10CertificationRequest csr) {
                return ca.sign(csr, CertRequest.renewalOf(current.certificate(), validity));
            }

            @Override
            public String describe() {
                return "local CA";
            }
        };
    }

    private final Path dir;
    private final Signer signer;
    private final Clock clock;
    private final ReloadableKeyManager keys;
    private ScheduledExecutorService checks;
    private Duration period = CHECK_EVERY;

    private CertificateRenewal(Path dir, Signer signer, Clock clock, ReloadableKeyManager keys) {
        this.dir = dir;
        this.signer = signer;
        this.clock = clock;
        this.keys = keys;
    }

    /**
     * Finishes a renewal a crash interrupted, loads the identity in {@code dir} and renews it now if it is due
     * (a failure is logged, and the node starts with the certificate it has).
     *
     * @throws MeshException if there is no readable identity in {@code dir}
     */
    public static CertificateRenewal prepare(Path dir, Signer signer, Clock clock) {
        if (IdentityFiles.finishInterruptedReplace(dir)) {
            LOG.info("certificate renewal completed after a restart dir={}", dir);
        }
        MeshIdentity identity = MeshIdentity.load(dir);
        CertificateRenewal renewal = new CertificateRenewal(dir, signer, clock, identity.reloadableKeyManager());
        if (RenewalPolicy.isDue(identity.certificate(), clock.instant())) {
            renewal.renewIfDue();
        } else {
            LOG.info("certificate node={} valid until {}, renewal due from {} via {}", identity.name(),
                    identity.certificate().getNotAfter().toInstant(), RenewalPolicy.dueAt(identity.certificate()),
                    signer.describe());
        }
        return renewal;
    }

    /** The key material the node's TLS contexts present from; renewals are swapped into it. */
    public ReloadableKeyManager keys() {
        return keys;
    }

    /** Checks every {@code every} from now on, on a daemon thread. */
    public synchronized CertificateRenewal startChecking(Duration every) {
        if (checks == null) {
            period = every;
            checks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "mesh-cert-renewal");
                thread.setDaemon(true);
                return thread;
            });
            checks.scheduleWithFixedDelay(this::renewIfDue, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Renews if the certificate is due; true if it renewed. Never throws: a failure is logged and retried later. */
    public synchronized boolean renewIfDue() {
        X509Certificate current = keys.certificate();
        Instant now = clock.instant();
        if (!RenewalPolicy.isDue(current, now)) {
            return false;
        }
        String node = "-";
        try {
            MeshIdentity identity = MeshIdentity.load(dir);
            node = identity.name();
            KeyPair next = SigningRequests.newKeyPair();
            X509Certificate renewed = signer.sign(identity, next, SigningRequests.create(identity.name(), next));
            IdentityFiles.replace(dir, next.getPrivate(), renewed);
            keys.swap(next.getPrivate(), renewed, identity.caCertificate());
            LOG.info("certificate renewed node={} via={} old={} new={} validUntil={}", node, signer.describe(),
                    Fingerprints.sha256(identity.certificate()), Fingerprints.sha256(renewed),
                    renewed.getNotAfter().toInstant());
            return true;
        } catch (MeshException e) {
            LOG.warn("certificate renewal failed node={} via={} validUntil={} reason={}; next try within {}m",
                    node, signer.describe(), current.getNotAfter().toInstant(), e.getMessage(), period.toMinutes());
            return false;
        } catch (RuntimeException e) {
            // Not an expected failure: keep the trace, and still never stop the node.
            LOG.warn("certificate renewal failed node={} via={} reason={}", node, signer.describe(), e.toString(), e);
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
