package org.planetarymesh.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;
import org.planetarymesh.submitter.MeshException;

/**
 * What a node certificate should say.
 *
 * @param name     the node's name: CN and the SAN URI {@code urn:planetary-mesh:node:<name>}
 * @param role     what the node may be in the mesh
 * @param validity how long the certificate is valid from the moment it is issued
 * @param sans     extra subject alternative names: IP addresses or DNS names
 */
public record CertRequest(String name, CertificateRole role, Duration validity, List<String> sans) {
    /** Nodes and clients get 90 days unless asked otherwise; agents renew before expiry (step 2). */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Labels of letters, digits and '-', at most 253 characters in all; a leading {@code *.} is allowed. */
    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}$)(\\*\\.)?[A-Za-z0-9][A-Za-z0-9-]{0,62}(\\.[A-Za-z0-9][A-Za-z0-9-]{0,62})*");

    public CertRequest {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MeshException("invalid node name '" + name
                    + "': use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (role == null) {
            throw new MeshException("a certificate needs a role");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new MeshException("a certificate's validity must be positive, not " + validity);
        }
        sans = List.copyOf(sans);
        for (String san : sans) {
            if (!IPAddress.isValid(san) && !DNS_NAME.matcher(san).matches()) {
                throw new MeshException("invalid subject alternative name '" + san
                        + "': give an IP address or a DNS name");
            }
        }
    }

    /** A request for {@code name} in {@code role}, valid {@link #DEFAULT_VALIDITY}, with no extra SANs. */
    public static CertRequest of(String name, CertificateRole role) {
        return new CertRequest(name, role, DEFAULT_VALIDITY, List.of());
    }

    /**
     * A request for a certificate like {@code current} (a renewal): the same node name, role and IP and DNS
     * names, valid {@code validity} from its issue.
     */
    public static CertRequest renewalOf(X509Certificate current, Duration validity) {
        MeshPeer peer = MeshPeer.of(current);
        List<String> addresses = new ArrayList<>();
        try {
            Collection<List<?>> sans = current.getSubjectAlternativeNames();
            for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
                if (san.size() >= 2 && (Integer.valueOf(SAN_DNS).equals(san.get(0))
                        || Integer.valueOf(SAN_IP).equals(san.get(0))) && san.get(1) instanceof String name) {
                    addresses.add(name);
                }
            }
        } catch (CertificateParsingException e) {
            throw new MeshException("cannot read the names of " + current.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
        return new CertRequest(peer.name(), peer.role(), validity, addresses);
    }

    public CertRequest withValidity(Duration newValidity) {
        return new CertRequest(name, role, newValidity, sans);
    }

    public CertRequest withDays(int days) {
        return withValidity(Duration.ofDays(days));
    }

    public CertRequest withSans(List<String> newSans) {
        return new CertRequest(name, role, validity, newSans);
    }
}
