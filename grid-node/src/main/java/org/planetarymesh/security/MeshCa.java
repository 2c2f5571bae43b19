package org.planetarymesh.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;
import org.planetarymesh.submitter.MeshException;

/**
 * The mesh's certificate authority: an EC P-256 key and a self-signed CA certificate in one directory
 * ({@value #KEY_FILE}, {@code 0600}; {@value #CERT_FILE}). Its {@linkplain #fingerprint() fingerprint}
 * identifies the mesh. It issues node certificates that carry the node's name and role; the role and name
 * always come from the CA's caller, never from what a CSR asks for.
 *
 * <p>"Now" comes from the {@link Clock} given, so tests can issue certificates that are expired or not yet
 * valid. Every certificate starts {@link #CLOCK_SKEW} before it is issued, so a peer whose clock is a little
 * behind still accepts it.
 */
public final class MeshCa {
    public static final String KEY_FILE = "ca.key";
    public static final String CERT_FILE = "ca.crt";
    /** The CA certificate's lifetime. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** How far before issue a certificate's validity starts. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    static final String CA_SUFFIX = " Planetary Mesh CA";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Pattern MESH_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,47}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;

    private MeshCa(PrivateKey key, X509Certificate certificate, Clock clock) {
        this.key = key;
        this.certificate = certificate;
        this.clock = clock;
    }

    /** True if {@code dir} holds a CA key or certificate. */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(KEY_FILE)) || Files.exists(dir.resolve(CERT_FILE));
    }

    /** Creates a new mesh CA in {@code dir}; refuses if one is there already. */
    public static MeshCa init(Path dir, String meshName, Clock clock) {
        if (meshName == null || !MESH_NAME.matcher(meshName).matches()) {
            throw new MeshException("invalid mesh name '" + meshName
                    + "': use 1 to 48 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
        }
        if (exists(dir)) {
            throw new MeshException("a mesh CA already exists in " + dir
                    + ": it is not overwritten (every certificate it issued would stop working)");
        }
        KeyPair pair = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, meshName + CA_SUFFIX).build();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            var extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate caCertificate = sign(builder, pair.getPrivate());
            PemFiles.createDirectory(dir);
            PemFiles.writePrivateKey(dir.resolve(KEY_FILE), pair.getPrivate());
            PemFiles.writeCertificates(dir.resolve(CERT_FILE), List.of(caCertificate));
            return new MeshCa(pair.getPrivate(), caCertificate, clock);
        } catch (GeneralSecurityException | IOException e) {
            throw new MeshException("cannot create the mesh CA: " + e.getMessage(), e);
        }
    }

    /** The mesh CA in {@code dir}, issuing with the system clock. */
    public static MeshCa load(Path dir) {
        return load(dir, Clock.systemUTC());
    }

    /** The mesh CA in {@code dir}. */
    public static MeshCa load(Path dir, Clock clock) {
        if (!Files.isRegularFile(dir.resolve(KEY_FILE)) || !Files.isRegularFile(dir.resolve(CERT_FILE))) {
            throw new MeshException("no mesh CA in " + dir + ": create one with 'bin/mesh ca init'");
        }
        PrivateKey key = PemFiles.readPrivateKey(dir.resolve(KEY_FILE));
        X509Certificate certificate = PemFiles.readCertificates(dir.resolve(CERT_FILE)).get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new MeshException(dir.resolve(CERT_FILE) + " is not a CA certificate");
        }
        KeyCheck.requireMatch(key, certificate.getPublicKey(), dir.resolve(KEY_FILE), dir.resolve(CERT_FILE));
        return new MeshCa(key, certificate, clock);
    }

    /** The same CA, issuing with another clock. */
    public MeshCa withClock(Clock newClock) {
        return new MeshCa(key, certificate, newClock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** {@code sha256:<hex>} of the CA certificate: the mesh's identity, as join tokens carry it. */
    public String fingerprint() {
        return Fingerprints.sha256(certificate);
    }

    /** The mesh name given to {@link #init}. */
    public String meshName() {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        String cn = cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
        return cn.endsWith(CA_SUFFIX) ? cn.substring(0, cn.length() - CA_SUFFIX.length()) : cn;
    }

    /** A new key pair and a certificate for it (for {@code mesh cert issue}: the CA host makes the key). */
    public IssuedCertificate issue(CertRequest request) {
        KeyPair pair = newKeyPair();
        return new IssuedCertificate(pair.getPrivate(), certify(pair.getPublic(), request), certificate);
    }

    /**
     * Signs a CSR for enrollment: the certificate gets the CSR's public key (after its proof of possession is
     * checked) and {@code role}, {@code name} and lifetime from the CA; the CSR's subject and extensions are ignored.
     */
    public X509Certificate sign(PKCS10CertificationRequest csr, CertificateRole role, String name, int days) {
        return sign(csr, new CertRequest(name, role, Duration.ofDays(days), List.of()));
    }

    /** As {@link #sign(PKCS10CertificationRequest, CertificateRole, String, int)}, with SANs from the request. */
    public X509Certificate sign(PKCS10CertificationRequest csr, CertRequest request) {
        PublicKey publicKey;
        try {
            publicKey = new JcaPKCS10CertificationRequest(csr).getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new MeshException("the certificate request for " + request.name() + " has an invalid signature");
            }
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new MeshException("cannot read the certificate request for " + request.name() + ": "
                    + e.getMessage(), e);
        }
        if (!(publicKey instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new MeshException("the certificate request for " + request.name()
                    + " must carry an EC P-256 key, not " + publicKey.getAlgorithm());
        }
        return certify(publicKey, request);
    }

    private X509Certificate certify(PublicKey publicKey, CertRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(request.validity());
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            throw new MeshException("a certificate for " + request.name() + " valid until " + notAfter
                    + " would outlive the mesh CA (valid until " + certificate.getNotAfter().toInstant() + ")");
        }
        CertificateRole role = request.role();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, role.wireName())
                .addRDN(BCStyle.CN, request.name())
                .build();
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, MeshPeer.NODE_URN_PREFIX + request.name()));
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, role.uri()));
        for (String san : request.sans()) {
            names.add(new GeneralName(IPAddress.isValid(san) ? GeneralName.iPAddress : GeneralName.dNSName, san));
        }
        KeyPurposeId[] purposes = role.isMember()
                ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
        try {
            var extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            return sign(builder, key);
        } catch (GeneralSecurityException | IOException e) {
            throw new MeshException("cannot issue a certificate for " + request.name() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** A new EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new MeshException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** 128 random bits, top bit set so every serial has the same length and is positive. */
    private static BigInteger serial() {
        return new BigInteger(128, RANDOM).setBit(127);
    }
}
