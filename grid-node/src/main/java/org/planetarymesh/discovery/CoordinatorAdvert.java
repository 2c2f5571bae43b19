package org.planetarymesh.discovery;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a coordinator tells the LAN about itself, besides its address and member port (which DNS-SD carries in
 * the SRV and A records).
 *
 * @param mesh          the mesh's name (the Hazelcast cluster name)
 * @param caFingerprint {@code sha256:<hex>} of the mesh CA certificate, as {@code Fingerprints.sha256} prints
 *                      it (stored lowercase); empty for a plaintext mesh
 * @param node          the coordinator's node name
 * @param enrollPort    the port where the coordinator enrolls new nodes, when it offers enrollment
 */
public record CoordinatorAdvert(String mesh, Optional<String> caFingerprint, String node, OptionalInt enrollPort) {
    public CoordinatorAdvert {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(node, "node");
        if (mesh.isBlank()) {
            throw new IllegalArgumentException("a coordinator advert needs the mesh name");
        }
        // Fingerprints are compared ignoring case; stored one way, adverts compare with equals.
        caFingerprint = Objects.requireNonNullElse(caFingerprint, Optional.<String>empty())
                .map(String::trim).filter(ca -> !ca.isEmpty()).map(ca -> ca.toLowerCase(Locale.ROOT));
        enrollPort = Objects.requireNonNullElse(enrollPort, OptionalInt.empty());
        enrollPort.ifPresent(CoordinatorAdvert::requirePort);
    }

    /** The advert of a coordinator of a plaintext mesh ({@code caFingerprint} null or blank) or a TLS mesh. */
    public static CoordinatorAdvert of(String mesh, String caFingerprint, String node) {
        return new CoordinatorAdvert(mesh, Optional.ofNullable(caFingerprint), node, OptionalInt.empty());
    }

    /** The same advert, offering enrollment on {@code port}. */
    public CoordinatorAdvert withEnrollPort(int port) {
        return new CoordinatorAdvert(mesh, caFingerprint, node, OptionalInt.of(port));
    }

    static void requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }
}
