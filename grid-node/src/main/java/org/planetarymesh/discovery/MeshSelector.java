package org.planetarymesh.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which coordinator adverts a node accepts: those of its mesh and its CA. A node of a plaintext mesh accepts only
 * plaintext adverts, and a node with a CA only adverts of that CA: a coordinator of the same name with another CA
 * (or none) could never complete the handshake, so connecting to it would only fail.
 *
 * @param mesh          the mesh's name, compared exactly (as Hazelcast compares cluster names)
 * @param caFingerprint {@code sha256:<hex>} of the mesh CA, compared ignoring case (stored lowercase); empty for
 *                      plaintext
 */
public record MeshSelector(String mesh, Optional<String> caFingerprint) {
    public MeshSelector {
        Objects.requireNonNull(mesh, "mesh");
        caFingerprint = Objects.requireNonNullElse(caFingerprint, Optional.<String>empty())
                .map(String::trim).filter(ca -> !ca.isEmpty()).map(ca -> ca.toLowerCase(Locale.ROOT));
    }

    /** The selector of {@code mesh} with the CA {@code caFingerprint}; null or blank: a plaintext mesh. */
    public static MeshSelector of(String mesh, String caFingerprint) {
        return new MeshSelector(mesh, Optional.ofNullable(caFingerprint));
    }

    public boolean matches(CoordinatorAdvert advert) {
        return mesh.equals(advert.mesh()) && caFingerprint.equals(advert.caFingerprint());
    }

    /** {@code mesh 'lab' with CA sha256:...} or {@code plaintext mesh 'lab'}. */
    public String describe() {
        return caFingerprint.map(ca -> "mesh '" + mesh + "' with CA " + ca).orElse("plaintext mesh '" + mesh + "'");
    }

    /**
     * Why nothing was found, and what to do instead. Names the coordinators of this mesh name that were refused,
     * since a CA that is off is the likely mistake; coordinators of other meshes are only counted.
     *
     * @param where  the interface that was listened on, as people know it ({@code eth0 (10.0.0.5)})
     * @param waited how long
     * @param others the coordinator adverts seen that this selector refused
     */
    public String noneFound(String where, Duration waited, List<CoordinatorAdvert> others) {
        StringBuilder message = new StringBuilder("no coordinator of ").append(describe()).append(" answered on ")
                .append(where).append(" within ").append(seconds(waited)).append("; give --join HOST:PORT");
        List<String> sameName = others.stream().filter(o -> o.mesh().equals(mesh))
                .map(o -> new MeshSelector(o.mesh(), o.caFingerprint()).describe() + " from '" + o.node() + "'")
                .distinct().sorted().toList();
        long otherMeshes = others.stream().filter(o -> !o.mesh().equals(mesh)).count();
        List<String> seen = new ArrayList<>(sameName);
        if (otherMeshes > 0) {
            seen.add(otherMeshes + (otherMeshes == 1 ? " coordinator" : " coordinators") + " of other meshes");
        }
        if (!seen.isEmpty()) {
            message.append(" (seen and ignored: ").append(String.join(", ", seen)).append(')');
        }
        return message.toString();
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
