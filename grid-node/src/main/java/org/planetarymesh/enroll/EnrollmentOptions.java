package org.planetarymesh.enroll;

import java.nio.file.Path;
import java.util.Optional;
import org.planetarymesh.security.CaCommands;
import org.planetarymesh.security.MeshCa;

/**
 * Whether and where a coordinator runs the enrollment endpoint.
 *
 * @param caDir    the mesh CA to sign with; empty: no endpoint (and no renewal of the coordinator's own certificate)
 * @param port     the endpoint's port; 0: no endpoint
 * @param required true when the admin asked for it ({@code --ca-dir} or {@code --enroll-port}): a problem then
 *                 stops the coordinator; otherwise (the default CA directory happened to exist) the coordinator
 *                 logs why there is no endpoint and runs without one
 */
public record EnrollmentOptions(Optional<Path> caDir, int port, boolean required) {
    /** No endpoint. */
    public static final EnrollmentOptions OFF = new EnrollmentOptions(Optional.empty(), 0, false);

    /**
     * From the command line: {@code --ca-dir} (default {@code $MESH_HOME/ca} if it holds a CA) and
     * {@code --enroll-port} (default member port + {@value EnrollmentClient#PORT_OFFSET}; 0 is off).
     */
    public static EnrollmentOptions of(Path caDir, Integer enrollPort, int memberPort) {
        int port = enrollPort != null ? enrollPort : memberPort + EnrollmentClient.PORT_OFFSET;
        boolean required = port != 0 && (caDir != null || enrollPort != null);
        Path dir = caDir != null ? caDir : CaCommands.defaultCaDir();
        return new EnrollmentOptions(caDir != null || MeshCa.exists(dir) ? Optional.of(dir) : Optional.empty(), port,
                required);
    }

    public boolean enabled() {
        return caDir.isPresent() && port != 0;
    }
}
