package org.planetarymesh.security;

import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.planetarymesh.submitter.MeshException;

/**
 * What a node sends to be certified: a new EC P-256 key stays on the node, a PKCS#10 request signed with it
 * proves possession. The subject is only a hint for people reading the request: the CA takes name and role
 * from the token or the presented certificate ({@link MeshCa#sign}).
 */
public final class SigningRequests {
    private SigningRequests() {
    }

    /** A new EC P-256 key pair, the only kind the mesh CA certifies. */
    public static KeyPair newKeyPair() {
        return MeshCa.newKeyPair();
    }

    /** A request for {@code keys}' public key, signed with its private key, subject {@code CN=<name>}. */
    public static PKCS10CertificationRequest create(String name, KeyPair keys) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new MeshException("cannot sign a certificate request for " + name + ": " + e.getMessage(), e);
        }
    }
}
