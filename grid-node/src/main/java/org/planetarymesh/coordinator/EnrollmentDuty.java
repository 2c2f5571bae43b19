package org.planetarymesh.coordinator;

import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import org.planetarymesh.enroll.CertificateRenewal;
import org.planetarymesh.enroll.EnrollmentOptions;
import org.planetarymesh.enroll.EnrollmentServer;
import org.planetarymesh.enroll.EnrollmentService;
import org.planetarymesh.enroll.TokenStore;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;
import org.planetarymesh.security.tls.ReloadableKeyManager;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's part in enrollment when it holds the mesh CA and speaks TLS: it renews its own certificate
 * with the CA, and runs the enrollment endpoint on its bind address. {@link #prepare} runs before the member
 * starts (the member presents from {@link #keys()}), {@link #start} once the member is up (the endpoint asks
 * {@code mesh.nodes} about names).
 */
final class EnrollmentDuty implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentDuty.class);

    private final EnrollmentOptions options;
    private final MeshCa ca;
    private final Path caDir;
    private final MeshIdentity identity;
    private final CertificateRenewal renewal;
    private final Clock clock;
    private EnrollmentServer server;

    private EnrollmentDuty(EnrollmentOptions options, MeshCa ca, MeshIdentity identity, CertificateRenewal renewal,
                           Clock clock) {
        this.options = options;
        this.ca = ca;
        this.caDir = options.caDir().orElseThrow();
        this.identity = identity;
        this.renewal = renewal;
        this.clock = clock;
    }

    /**
     * The duty for {@code node}, or null when enrollment is off; with {@link EnrollmentOptions#required()} a
     * missing piece (TLS, the CA, a CA that did not issue this coordinator's certificate) is an error, else it is
     * logged and the coordinator runs without an endpoint.
     */
    static EnrollmentDuty prepare(NodeOptions node, EnrollmentOptions options, Clock clock) {
        try {
            if (!options.enabled()) {
                if (options.required()) {
                    throw new MeshException("the enrollment endpoint needs the mesh CA: none found, give --ca-dir");
                }
                return null;
            }
            if (node.tlsDir().isEmpty()) {
                throw new MeshException("the enrollment endpoint needs TLS: start the coordinator with --tls-dir");
            }
            Path caDir = options.caDir().orElseThrow();
            MeshCa ca = MeshCa.load(caDir, clock);
            MeshIdentity identity = MeshIdentity.load(node.tlsDir().get());
            if (!ca.certificate().equals(identity.caCertificate())) {
                throw new MeshException("the CA in " + caDir + " (" + ca.fingerprint() + ") did not issue this"
                        + " coordinator's certificate: give --ca-dir the directory of the mesh's CA");
            }
            CertificateRenewal renewal = CertificateRenewal.prepare(node.tlsDir().get(),
                    CertificateRenewal.localCa(ca, CertRequest.DEFAULT_VALIDITY), clock);
            return new EnrollmentDuty(options, ca, identity, renewal, clock);
        } catch (MeshException e) {
            if (options.required()) {
                throw e;
            }
            LOG.info("enrollment endpoint off node={}: {}", node.name(), e.getMessage());
            return null;
        }
    }

    /** What the member and the endpoint present; renewals are swapped into it. */
    ReloadableKeyManager keys() {
        return renewal.keys();
    }

    /** Starts the endpoint on {@code bindHost} and the hourly renewal check. */
    void start(HazelcastInstance hz, String bindHost) {
        EnrollmentService service = new EnrollmentService(ca, new TokenStore(caDir), new MeshNodeNames(hz), clock,
                CertRequest.DEFAULT_VALIDITY);
        try {
            server = EnrollmentServer.start(InetAddress.getByName(bindHost), options.port(),
                    identity.sslContext(renewal.keys(), null, null), service);
        } catch (MeshException | UnknownHostException e) {
            if (options.required()) {
                throw e instanceof MeshException mesh ? mesh : new MeshException(e.getMessage(), e);
            }
            LOG.warn("enrollment endpoint off: {}", e.getMessage());
        }
        renewal.startChecking(CertificateRenewal.CHECK_EVERY);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        renewal.close();
    }
}
