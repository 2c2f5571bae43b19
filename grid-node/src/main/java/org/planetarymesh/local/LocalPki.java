package org.planetarymesh.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.planetarymesh.security.CertRequest;
import org.planetarymesh.security.CertificateRole;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.security.MeshIdentity;

/**
 * The certificates of a local mesh started with {@code --tls}: a CA in {@code <stateDir>/ca}, kept across
 * {@code up}s, and a fresh bundle per node and client in {@code <stateDir>/certs/<name>} on every {@code up}.
 */
final class LocalPki {
    static final String CA_DIR = "ca";
    static final String CERTS_DIR = "certs";
    private static final String MESH_NAME = "local";

    private final MeshCa ca;
    private final Path caDir;
    private final Path certsDir;
    private final String host;

    private LocalPki(MeshCa ca, Path caDir, Path certsDir, String host) {
        this.ca = ca;
        this.caDir = caDir;
        this.certsDir = certsDir;
        this.host = host;
    }

    /** The CA of {@code stateDir}, created if absent; bundles it issues carry {@code host} as a SAN. */
    static LocalPki in(Path stateDir, String host) {
        Path caDir = stateDir.resolve(CA_DIR);
        MeshCa ca = MeshCa.exists(caDir) ? MeshCa.load(caDir) : MeshCa.init(caDir, MESH_NAME, Clock.systemUTC());
        return new LocalPki(ca, caDir, stateDir.resolve(CERTS_DIR), host);
    }

    Path caDir() {
        return caDir;
    }

    String fingerprint() {
        return ca.fingerprint();
    }

    /** Issues a bundle for {@code name} in {@code role}, replacing the one of an earlier {@code up}; its directory. */
    Path issue(String name, CertificateRole role) {
        Path dir = certsDir.resolve(name);
        try {
            for (String file : List.of(MeshIdentity.KEY_FILE, MeshIdentity.CERT_FILE, MeshIdentity.CA_FILE)) {
                Files.deleteIfExists(dir.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ca.issue(CertRequest.of(name, role).withSans(List.of(host))).writeTo(dir);
        return dir;
    }
}
