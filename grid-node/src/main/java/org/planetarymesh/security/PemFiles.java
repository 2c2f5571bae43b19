package org.planetarymesh.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.planetarymesh.submitter.MeshException;

/**
 * PEM files of keys and certificates. Keys are written as unencrypted PKCS#8 into files created with
 * {@code 0600} permissions (set at creation, so there is no moment they are readable by others); nothing
 * is ever overwritten.
 */
final class PemFiles {
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private PemFiles() {
    }

    /** Creates {@code dir} (and parents) if missing; a directory it creates is {@code 0700}. */
    static void createDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, permissions(dir, OWNER_ONLY_DIR));
        } catch (IOException e) {
            throw new MeshException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    static void writePrivateKey(Path file, PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new MeshException("cannot encode the private key for " + file + ": " + e.getMessage(), e);
        }
        write(file, OWNER_ONLY_FILE, text.toString());
    }

    static void writeCertificates(Path file, List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new MeshException("cannot encode certificates for " + file + ": " + e.getMessage(), e);
        }
        write(file, PUBLIC_FILE, text.toString());
    }

    static PrivateKey readPrivateKey(Path file) {
        Object object = readObjects(file).stream().findFirst()
                .orElseThrow(() -> new MeshException(file + " holds no private key"));
        try {
            var converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new MeshException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
        throw new MeshException(file + " holds no unencrypted private key");
    }

    static List<X509Certificate> readCertificates(Path file) {
        var converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : readObjects(file)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new MeshException("cannot read a certificate in " + file + ": " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new MeshException(file + " holds no certificate");
        }
        return certificates;
    }

    private static List<Object> readObjects(Path file) {
        List<Object> objects = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(in)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (NoSuchFileException e) {
            throw new MeshException(file + " not found", e);
        } catch (IOException e) {
            throw new MeshException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return objects;
    }

    private static void write(Path file, Set<PosixFilePermission> permissions, String text) {
        try {
            Files.createFile(file, permissions(file, permissions));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(text);
            }
        } catch (FileAlreadyExistsException e) {
            throw new MeshException(file + " already exists: remove it first or choose another directory", e);
        } catch (IOException e) {
            throw new MeshException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] permissions(Path path, Set<PosixFilePermission> permissions) {
        Path existing = path.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing == null || existing.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
