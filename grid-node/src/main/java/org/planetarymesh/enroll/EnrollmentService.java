package org.planetarymesh.enroll;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.Fingerprints;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshPeer;
import org.planetarymesh.security.MeshTrust;
import org.planetarymesh.security.PemText;
import org.planetarymesh.submitter.MeshException;

/**
 * What the enrollment endpoint decides, without sockets: {@code enroll} spends a join token and issues an
 * agent certificate for the name asked; {@code renew} issues a new certificate with the name and role of the
 * valid mesh certificate the peer presented in the handshake. Every refusal is an expected outcome with a
 * message for the person at the other end.
 */
public final class EnrollmentService {
    /** What the mesh knows about names and nodes, asked before a certificate is issued. */
    public interface NodeDirectory {
        /** Why {@code name} may not be given to a newly enrolled node, or empty if it may. */
        Optional<String> whyNameIsTaken(String name);

        /** Why {@code peer} may not renew its certificate (for example a deny list), or empty if it may. */
        default Optional<String> whyRenewalIsRefused(MeshPeer peer) {
            return Optional.empty();
        }
    }

    /**
     * One request's result, with what the endpoint logs about it.
     *
     * @param response what goes back to the node
     * @param tokenId  the join token's id, "-" when there was none
     * @param node     the node name asked for or presented, "-" when unknown
     * @param outcome  {@code issued <fingerprint> until <time>} or {@code refused: <reason>}
     */
    public record Outcome(EnrollmentResponse response, String tokenId, String node, String outcome) {
        boolean issued() {
            return response.error() == null;
        }
    }

    private final MeshCa ca;
    private final TokenStore tokens;
    private final NodeDirectory directory;
    private final Clock clock;
    private final Duration validity;

    /**
     * @param validity lifetime of the certificates it issues ({@link CertRequest#DEFAULT_VALIDITY} normally)
     */
    public EnrollmentService(MeshCa ca, TokenStore tokens, NodeDirectory directory, Clock clock, Duration validity) {
        this.ca = ca.withClock(clock);
        this.tokens = tokens;
        this.directory = directory;
        this.clock = clock;
        this.validity = validity;
    }

    /** The CA this service signs with. */
    public MeshCa ca() {
        return ca;
    }

    /**
     * Answers {@code request}; {@code peer} is the client certificate the TLS handshake verified against the
     * mesh CA, or null when the client sent none.
     */
    public Outcome handle(EnrollmentRequest request, X509Certificate peer) {
        if (EnrollmentRequest.ENROLL.equals(request.type())) {
            return enroll(request);
        }
        if (EnrollmentRequest.RENEW.equals(request.type())) {
            return renew(request, peer);
        }
        return refused("-", "-", "unknown request type '" + request.type() + "': use '" + EnrollmentRequest.ENROLL
                + "' or '" + EnrollmentRequest.RENEW + "'");
    }

    private Outcome enroll(EnrollmentRequest request) {
        String node = request.name() == null ? "-" : request.name();
        JoinToken token;
        try {
            token = JoinToken.parse(request.token());
        } catch (MeshException e) {
            return refused("-", node, e.getMessage());
        }
        try {
            if (!token.caFingerprint().equals(ca.fingerprint())) {
                return refused(token.id(), node, "join token " + token.id() + " is for the mesh CA "
                        + token.caFingerprint() + ", this coordinator's is " + ca.fingerprint());
            }
            if (request.role() != null && !request.role().equals(CertificateRole.AGENT.wireName())) {
                return refused(token.id(), node, "enrollment issues agent certificates only, not '" + request.role()
                        + "': a coordinator's certificate comes from 'bin/mesh cert issue'");
            }
            CertRequest wanted = new CertRequest(request.name(), CertificateRole.AGENT, validity, List.of());
            Optional<String> taken = directory.whyNameIsTaken(wanted.name());
            if (taken.isPresent()) {
                return refused(token.id(), node, taken.get());
            }
            PKCS10CertificationRequest csr = PemText.certificateRequest(request.csr());
            X509Certificate issued = tokens.spend(token, clock.instant(), () -> ca.sign(csr, wanted));
            return issued(token.id(), node, issued);
        } catch (MeshException e) {
            return refused(token.id(), node, e.getMessage());
        }
    }

    private Outcome renew(EnrollmentRequest request, X509Certificate peerCertificate) {
        if (peerCertificate == null) {
            return refused("-", "-", "renewal needs this node's current certificate as TLS client certificate; a"
                    + " node without one enrolls with a join token");
        }
        try {
            MeshPeer peer = MeshPeer.of(peerCertificate);
            try {
                // The handshake validated it already; checked again so that no TLS setting can skip it.
                MeshTrust.validate(peerCertificate, ca.certificate(), clock.instant());
            } catch (GeneralSecurityException e) {
                return refused("-", peer.name(), "the presented certificate is not valid for this mesh now ("
                        + e.getMessage() + "): enroll again with a join token");
            }
            if (!peer.role().isMember()) {
                return refused("-", peer.name(), "only agents and coordinators renew here; a client certificate is"
                        + " issued with 'bin/mesh cert issue'");
            }
            Optional<String> refusal = directory.whyRenewalIsRefused(peer);
            if (refusal.isPresent()) {
                return refused("-", peer.name(), refusal.get());
            }
            PKCS10CertificationRequest csr = PemText.certificateRequest(request.csr());
            return issued("-", peer.name(), ca.sign(csr, CertRequest.renewalOf(peerCertificate, validity)));
        } catch (MeshException e) {
            return refused("-", nameOrDash(peerCertificate), e.getMessage());
        }
    }

    private Outcome issued(String tokenId, String node, X509Certificate certificate) {
        return new Outcome(EnrollmentResponse.issued(PemText.of(certificate), PemText.of(ca.certificate())), tokenId,
                node, "issued " + Fingerprints.sha256(certificate) + " until " + certificate.getNotAfter().toInstant());
    }

    private static Outcome refused(String tokenId, String node, String reason) {
        return new Outcome(EnrollmentResponse.refused(reason), tokenId, node, "refused: " + reason);
    }

    /** The node name of a certificate for a log line, whatever the certificate holds. */
    private static String nameOrDash(X509Certificate certificate) {
        try {
            return MeshPeer.of(certificate).name();
        } catch (MeshException e) {
            return "-";
        }
    }
}
