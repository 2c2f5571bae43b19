package org.planetarymesh.sandbox;

import java.nio.file.Path;

/**
 * The unprivileged user tasks run as when the agent runs as root, switched to by {@code setpriv} with no
 * supplementary groups and no way to regain privileges.
 */
public record TaskUser(Path setpriv, String name, int uid, int gid) {
    public TaskUser {
        if (uid == 0) {
            throw new IllegalArgumentException("tasks never run as root: " + name);
        }
    }
}
