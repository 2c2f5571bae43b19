package org.planetarymesh.security.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for tests: one EC P-256 CA per instance and leaf certificates it signs, turned into
 * TLSv1.3 SSLContexts that trust that CA only (or any CAs given). Test-only; the mesh CA is elsewhere.
 */
final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());
    private static final char[] PASSWORD = "test".toCharArray();

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    private TestPki(String name) throws Exception {
        this.name = name;
        this.caKeys = ecKeys();
        this.caCert = sign(new X500Name("CN=" + name), caKeys, caKeys, true);
    }

    static TestPki newCa(String name) {
        try {
            return new TestPki(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate caCertificate() {
        return caCert;
    }

    /** A context with a fresh leaf key and certificate named {@code leaf}, trusting this CA only. */
    SSLContext context(String leaf) {
        return context(leaf, this);
    }

    /** A context with a fresh leaf certificate from this CA, trusting the given CAs. */
    SSLContext context(String leaf, TestPki... trusted) {
        try {
            KeyPair keys = ecKeys();
            X509Certificate cert = sign(new X500Name("CN=" + leaf), keys, caKeys, false);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("leaf", keys.getPrivate(), PASSWORD, new X509Certificate[] {cert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);

            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (TestPki ca : trusted) {
                trustStore.setCertificateEntry(ca.name, ca.caCert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);

            SSLContext context = SSLContext.getInstance("TLSv1.3");
            X509ExtendedKeyManager keys509 = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            context.init(new KeyManager[] {new AlwaysPresent(keys509)}, tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf key and certificate of this CA carrying {@code role} as SAN URI (none if null), and its node name. */
    Leaf leaf(String name, String role) {
        try {
            KeyPair keys = ecKeys();
            return new Leaf(keys.getPrivate(), sign(new X500Name("CN=" + name), keys, caKeys, false, name, role), caCert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A context presenting a fresh {@code role} certificate named {@code name}, trusting this CA and then checking
     * the peer's role as production does ({@link PemIdentity#sslContext}).
     */
    SSLContext context(String name, String role, Set<String> acceptedClientRoles, Set<String> acceptedServerRoles) {
        Leaf leaf = leaf(name, role);
        return PemIdentity.sslContext(leaf.key(), leaf.certificate(), caCert, acceptedClientRoles, acceptedServerRoles);
    }

    record Leaf(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca)
            throws Exception {
        return sign(subject, subjectKeys, issuerKeys, ca, null, null);
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca, String node,
                                 String role) throws Exception {
        Instant now = Instant.now();
        X500Name issuer = ca ? subject : new X500Name(caCert.getSubjectX500Principal().getName());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature));
        if (node != null) {
            List<GeneralName> uris = new ArrayList<>();
            uris.add(new GeneralName(GeneralName.uniformResourceIdentifier, MeshRoles.NODE_URN_PREFIX + node));
            if (role != null) {
                uris.add(new GeneralName(GeneralName.uniformResourceIdentifier, MeshRoles.ROLE_URN_PREFIX + role));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(uris.toArray(GeneralName[]::new)));
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * Presents the leaf certificate whatever CAs the peer asks for, as an intruder would (the JDK's own
     * key manager sends no certificate when its issuer is not among the peer's accepted CAs).
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "leaf";
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return "leaf";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"leaf"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "leaf";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"leaf"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "leaf";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
