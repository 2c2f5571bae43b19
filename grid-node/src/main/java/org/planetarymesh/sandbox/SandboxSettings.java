package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the contributor chose about the sandbox.
 *
 * @param nodeName   names the node's parent cgroup ({@code planetary-mesh-<node>})
 * @param workRoot   where the attempts' directories are made
 * @param taskUser   the user tasks run as when the agent is root (name or uid); default {@value #DEFAULT_TASK_USER}
 * @param agentDirs  the agent's own directories (identity, data, work root): hidden from tasks
 * @param cgroups    use cgroups when the host allows (off only for benchmarks and tests)
 * @param bwrap      use bubblewrap when the host allows (off only for benchmarks and tests)
 */
public record SandboxSettings(String nodeName, Path workRoot, Optional<String> taskUser, List<Path> agentDirs,
                              boolean cgroups, boolean bwrap) {

    public static final String DEFAULT_TASK_USER = "nobody";

    public SandboxSettings {
        agentDirs = List.copyOf(agentDirs);
    }

    /** Every layer the host allows; tasks under {@code workRoot}, which is hidden from them with the other dirs. */
    public static SandboxSettings of(String nodeName, Path workRoot, List<Path> agentDirs) {
        return new SandboxSettings(nodeName, workRoot, Optional.empty(), agentDirs, true, true);
    }
}
