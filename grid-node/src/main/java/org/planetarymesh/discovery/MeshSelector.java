package org.planetarymesh.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which coordinator adverts a node accepts: those of its mesh and its CA. A node of a plaintext mesh accepts only
 * plaintext adverts, and a node with a CA only adverts of that CA: a coordinator of the same name with another CA
 * (or none) could never complete the handshake, so connecting to it would only fail.
 *
 * @param mesh          the mesh's name, compared exactly (as Hazelcast compares cluster names)
 * @param caFingerprint {@code sha256:<hex>} of the mesh CA, compared ignoring case; empty for plaintext
 */
public record MeshSelector(String mesh, Optional<String> caFingerprint) {
    public MeshSelector {
        Objects.requireNonNull(mesh, "mesh");
        caFingerprint = Objects.requireNonNullElse(caFingerprint, Optional.<String>empty())
                .map(String::trim).filter(ca -> !ca.isEmpty());
    }

    /** The selector of {@code mesh} with the CA {@code caFingerprint}; null or blank: a plaintext mesh. */
    public static MeshSelector of(String mesh, String caFingerprint) {
        return new MeshSelector(mesh, Optional.ofNullable(caFingerprint));
    }

    public boolean matches(CoordinatorAdvert advert) {
        return mesh.equals(advert.mesh()) && caFingerprint.map(String::toLowerCase)
                .equals(advert.caFingerprint().map(String::toLowerCase));
    }

    /** {@code mesh 'lab' with CA sha256:...} or {@code plaintext mesh 'lab'}. */
    public String describe() {
        return caFingerprint.map(ca -> "mesh '" + mesh + "' with CA " + ca).orElse("plaintext mesh '" + mesh + "'");
    }

    /**
     * Why nothing was found, and what to do instead; names the adverts that were seen and refused, since a CA or
     * mesh name that is off by a little is the likely mistake.
     *
     * @param where  the interface that was listened on, as people know it ({@code eth0 (10.0.0.5)})
     * @param waited how long
     * @param others the coordinator adverts seen that this selector refused
     */
    public String noneFound(String where, Duration waited, List<CoordinatorAdvert> others) {
        StringBuilder message = new StringBuilder("no coordinator of ").append(describe()).append(" answered on ")
                .append(where).append(" within ").append(seconds(waited)).append("; give --join HOST:PORT");
        if (!others.isEmpty()) {
            message.append(" (seen and ignored: ").append(others.stream()
                    .map(o -> new MeshSelector(o.mesh(), o.caFingerprint()).describe() + " from '" + o.node() + "'")
                    .distinct().sorted().collect(Collectors.joining(", "))).append(')');
        }
        return message.toString();
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
