package org.planetarymesh.discovery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the coordinators of a mesh on the LAN, for code that has no member yet: an agent that holds a join token
 * but no address looks for the coordinator whose CA fingerprint the token carries.
 *
 * <pre>{@code
 * try (CoordinatorFinder finder = CoordinatorFinder.on("10.0.0.7")) {
 *     List<String> coordinators = finder.find("lab", "sha256:3f1c...", CoordinatorFinder.DEFAULT_TIMEOUT);
 * }
 * }</pre>
 */
public final class CoordinatorFinder implements AutoCloseable {
    /** How long to wait for a first answer: a coordinator that is up answers within a few hundred ms. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger FINDERS = new AtomicInteger();

    private final MdnsSession session;

    private CoordinatorFinder(MdnsSession session) {
        this.session = session;
    }

    /** A finder listening on the interface of {@code bindHost}; close it when done (about 2 s). */
    public static CoordinatorFinder on(String bindHost) {
        // Its own host label, so finders and nodes on one machine never probe against each other.
        return new CoordinatorFinder(MdnsSession.open(bindHost,
                "mesh-finder-" + ProcessHandle.current().pid() + "-" + FINDERS.incrementAndGet()));
    }

    /**
     * The {@code host:port} of the coordinators of mesh {@code meshName} with CA {@code caFingerprint} (null or
     * blank: a plaintext mesh), returned as soon as one answers.
     *
     * @throws org.planetarymesh.submitter.MeshException if none answered within {@code timeout}, with what was
     *                                                   looked for and seen
     */
    public List<String> find(String meshName, String caFingerprint, Duration timeout) {
        return coordinators(meshName, caFingerprint, timeout).stream().map(FoundCoordinator::hostPort).toList();
    }

    /** As {@link #find}, with each coordinator's advert (its node name and enrollment port). */
    public List<FoundCoordinator> coordinators(String meshName, String caFingerprint, Duration timeout) {
        try (MdnsBrowser browser = session.browse(MeshSelector.of(meshName, caFingerprint))) {
            return browser.require(timeout);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
