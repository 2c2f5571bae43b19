package org.planetarymesh.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.planetarymesh.submitter.MeshException;

/** Checks that a key file and a certificate file belong together, by signing and verifying a probe. */
final class KeyCheck {
    private static final byte[] PROBE = "planetary-mesh key check".getBytes(StandardCharsets.US_ASCII);

    private KeyCheck() {
    }

    static void requireMatch(PrivateKey key, PublicKey publicKey, Path keyFile, Path certificateFile) {
        try {
            if (matches(key, publicKey)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new MeshException("cannot use the key in " + keyFile + ": " + e.getMessage(), e);
        }
        throw new MeshException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile);
    }

    /** True if {@code publicKey} verifies what {@code key} signs. */
    static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(PROBE);
        return verifier.verify(signature);
    }
}
