package org.planetarymesh.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.planetarymesh.submitter.MeshException;

/** Certificates and certificate requests as PEM text, the way they travel in enrollment messages. */
public final class PemText {
    private PemText() {
    }

    /** One PEM block ({@code CERTIFICATE} or {@code CERTIFICATE REQUEST}). */
    public static String of(Object certificateOrRequest) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(certificateOrRequest);
        } catch (IOException e) {
            throw new MeshException("cannot encode " + certificateOrRequest.getClass().getSimpleName() + " as PEM: "
                    + e.getMessage(), e);
        }
        return text.toString();
    }

    /** The certificate in {@code pem}; fails when the text holds anything else first. */
    public static X509Certificate certificate(String pem) {
        if (read(pem, "certificate") instanceof X509CertificateHolder holder) {
            try {
                return new JcaX509CertificateConverter().getCertificate(holder);
            } catch (CertificateException e) {
                throw new MeshException("cannot read the certificate: " + e.getMessage(), e);
            }
        }
        throw new MeshException("expected a PEM certificate (BEGIN CERTIFICATE)");
    }

    /** The PKCS#10 request in {@code pem}; fails when the text holds anything else first. */
    public static PKCS10CertificationRequest certificateRequest(String pem) {
        if (read(pem, "certificate request") instanceof PKCS10CertificationRequest request) {
            return request;
        }
        throw new MeshException("expected a PEM certificate request (BEGIN CERTIFICATE REQUEST)");
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new MeshException("no " + what + " given");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            // PEMParser throws runtime exceptions on some malformed input: the caller only needs to know it is bad.
            throw new MeshException("cannot read the " + what + ": " + e.getMessage(), e);
        }
    }
}
