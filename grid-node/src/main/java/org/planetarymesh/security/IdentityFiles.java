package org.planetarymesh.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.planetarymesh.submitter.MeshException;

/**
 * Replaces the key and certificate of an identity directory with renewed ones, so that a crash at any moment
 * leaves either the old pair or the new pair once {@link #finishInterruptedReplace} has run (at start).
 *
 * <p>Two files cannot be renamed at once, so the new pair is first written completely and flushed next to the
 * old one ({@code node.key.next}, then {@code node.crt.next}), then renamed over it, key first. A crash leaves
 * one of these states, which {@link #finishInterruptedReplace} tells apart by whether the files belong together:
 * only {@code node.key.next} (writing: dropped); both, matching (renaming not begun: finished); only
 * {@code node.crt.next}, matching the new {@code node.key} (key renamed: finished); anything else (dropped).
 * {@code ca.crt} does not change on renewal.
 */
public final class IdentityFiles {
    static final String NEXT = ".next";

    private IdentityFiles() {
    }

    /** Writes {@code key} and {@code certificate} over the identity in {@code dir}, atomically as described. */
    public static void replace(Path dir, PrivateKey key, X509Certificate certificate) {
        Path keyNext = dir.resolve(MeshIdentity.KEY_FILE + NEXT);
        Path certificateNext = dir.resolve(MeshIdentity.CERT_FILE + NEXT);
        deleteIfExists(keyNext);
        deleteIfExists(certificateNext);
        PemFiles.writePrivateKey(keyNext, key);
        flush(keyNext);
        PemFiles.writeCertificates(certificateNext, List.of(certificate));
        flush(certificateNext);
        move(keyNext, dir.resolve(MeshIdentity.KEY_FILE));
        move(certificateNext, dir.resolve(MeshIdentity.CERT_FILE));
        flush(dir);
    }

    /**
     * Completes or drops a {@link #replace} that a crash interrupted in {@code dir}; true if it completed one.
     * Call it before loading the identity.
     */
    public static boolean finishInterruptedReplace(Path dir) {
        Path keyNext = dir.resolve(MeshIdentity.KEY_FILE + NEXT);
        Path certificateNext = dir.resolve(MeshIdentity.CERT_FILE + NEXT);
        if (!Files.exists(certificateNext)) {
            deleteIfExists(keyNext);
            return false;
        }
        try {
            X509Certificate certificate = PemFiles.readCertificates(certificateNext).get(0);
            Path key = Files.exists(keyNext) ? keyNext : dir.resolve(MeshIdentity.KEY_FILE);
            if (KeyCheck.matches(PemFiles.readPrivateKey(key), certificate.getPublicKey())) {
                if (key.equals(keyNext)) {
                    move(keyNext, dir.resolve(MeshIdentity.KEY_FILE));
                }
                move(certificateNext, dir.resolve(MeshIdentity.CERT_FILE));
                flush(dir);
                return true;
            }
        } catch (MeshException | GeneralSecurityException e) {
            // A half-written file: the old identity is still whole, so the new one is dropped below.
        }
        deleteIfExists(keyNext);
        deleteIfExists(certificateNext);
        return false;
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new MeshException("cannot replace " + to + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MeshException("cannot replace " + to + ": " + e.getMessage(), e);
        }
    }

    /** Forces a file (or, on systems that allow it, a directory entry) to disk. */
    private static void flush(Path path) {
        try (FileChannel channel = FileChannel.open(path,
                Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw new MeshException("cannot flush " + path + ": " + e.getMessage(), e);
            }
            // Some systems cannot open a directory for syncing; the rename is still atomic there.
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new MeshException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
