package org.planetarymesh.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** PKIX validation of a node certificate against the mesh CA alone, at a given moment (the JDK's validator). */
public final class MeshTrust {
    private MeshTrust() {
    }

    /**
     * Returns normally if {@code certificate} chains to {@code ca} and both are valid at {@code at}; throws
     * {@link java.security.cert.CertPathValidatorException} (with its reason) otherwise. Revocation is the
     * mesh's deny list, checked elsewhere, so it is off here.
     */
    public static void validate(X509Certificate certificate, X509Certificate ca, Instant at)
            throws GeneralSecurityException {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate));
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }
}
